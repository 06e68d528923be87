"""Writes for accounts: registration and accommodations."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import LearnerProfile

User = get_user_model()


@transaction.atomic
def user_register(*, username: str, password: str, email: str = "") -> AbstractBaseUser:
    """Create a learner. Password rules are Django's validators; errors are keyed by field."""
    user = User(username=username, email=email)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": ["A user with that username already exists."]}) from None
    LearnerProfile.objects.create(user=user)
    return user


def profile_get(*, user: AbstractBaseUser) -> LearnerProfile:
    profile, _ = LearnerProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(
    *, user: AbstractBaseUser, time_multiplier: Decimal | None = None, extra_minutes: int | None = None
) -> LearnerProfile:
    profile, _ = LearnerProfile.objects.select_for_update().get_or_create(user=user)
    fields = []
    if time_multiplier is not None:
        profile.time_multiplier = time_multiplier
        fields.append("time_multiplier")
    if extra_minutes is not None:
        profile.extra_minutes = extra_minutes
        fields.append("extra_minutes")
    profile.full_clean()
    if fields:
        profile.save(update_fields=[*fields, "updated_at"])
    return profile
