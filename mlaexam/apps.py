import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("mlaexam.startup")


class MlaexamConfig(AppConfig):
    name = "mlaexam"
    verbose_name = "mlaexam"

    def ready(self) -> None:
        from mlaexam import audit, checks  # noqa: F401 - checks register themselves

        audit.register()
        # One line per embedded default in use, so a newcomer knows what runs where.
        for note in settings.STARTUP_NOTES:
            logger.info(note)
