import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

# username -> (groups, is_staff). Passwords: DEMO_PASSWORD if set, else "<username>-mlaexam".
DEMO_ACCOUNTS = {
    "learner": ([], False),
    "instructor": (["Instructors"], False),
    "author": (["Authors"], True),
}


class Command(BaseCommand):
    help = "Create (or reset) the demo accounts learner, instructor and author, and print their passwords."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        User = get_user_model()
        shared = os.environ.get("DEMO_PASSWORD")
        self.stdout.write("Demo accounts (sign in at http://127.0.0.1:8000/admin/ or the app):")
        for username, (groups, is_staff) in DEMO_ACCOUNTS.items():
            password = shared or f"{username}-mlaexam"
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
            user.is_staff = is_staff
            user.set_password(password)
            user.save()
            user.groups.set(Group.objects.filter(name__in=groups))
            self.stdout.write(f"  {username:<11} password: {password}")
