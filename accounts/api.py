"""Sign-up, sign-in, sign-out, the current user with their accommodation, and API tokens."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError as DjangoValidationError
from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import EXTRA_MINUTES_MAX, MULTIPLIER_MAX, MULTIPLIER_MIN
from cohorts.selectors import user_is_cohort_staff
from mlaexam.errors import ApiError
from mlaexam.openapi import BODY, error_responses
from mlaexam.throttling import SignInAccountThrottle, SignInThrottle, SignUpThrottle, TokenThrottle


class AccommodationSerializer(serializers.Serializer):
    time_multiplier = serializers.DecimalField(
        max_digits=3, decimal_places=2, min_value=MULTIPLIER_MIN, max_value=MULTIPLIER_MAX, required=False
    )
    extra_minutes = serializers.IntegerField(min_value=0, max_value=EXTRA_MINUTES_MAX, required=False)


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    roles = serializers.ListField(child=serializers.CharField())
    accommodation = AccommodationSerializer()


def user_payload(user) -> dict:
    profile = services.profile_get(user=user)
    groups = {g.name for g in user.groups.all()}
    roles = ["learner"]
    if "Instructors" in groups or user_is_cohort_staff(user):  # who may create and run cohorts
        roles.append("instructor")
    if "Authors" in groups:
        roles.append("author")
    if user.is_staff:
        roles.append("staff")
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "roles": roles,
        "accommodation": {"time_multiplier": profile.time_multiplier, "extra_minutes": profile.extra_minutes},
    }


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


def _django_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


def _credentials_user(request: Request):
    """The user the posted username and password identify, or a 400 that says they do not."""
    data = CredentialsSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    user = authenticate(request, **data.validated_data)
    if user is None:
        raise ApiError("Wrong username or password.", code="invalid_credentials")
    return user


class RegisterView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SignUpThrottle]

    @extend_schema(
        summary="Sign up as a learner (and sign in)",
        request=RegisterSerializer,
        responses={201: UserSerializer, **error_responses(*BODY, 403)},
    )
    def post(self, request: Request) -> Response:
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.user_register(**data.validated_data)
        except DjangoValidationError as exc:
            raise _django_errors(exc) from exc
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(UserSerializer(user_payload(user)).data, status=status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SignInThrottle, SignInAccountThrottle]

    @extend_schema(
        summary="Sign in with a session (the browser)",
        request=CredentialsSerializer,
        responses={200: UserSerializer, **error_responses(*BODY, 403)},
    )
    def post(self, request: Request) -> Response:
        user = _credentials_user(request)
        login(request, user)  # rotates the session key
        return Response(UserSerializer(user_payload(user)).data)


class LogoutView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="Sign out", request=None, responses={204: None, **error_responses(403)})
    def post(self, request: Request) -> Response:
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The signed-in user, roles and accommodation",
        responses={200: UserSerializer, **error_responses()},
    )
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(user_payload(request.user)).data)

    @extend_schema(
        summary="Set my time accommodation (multiplier and/or extra minutes)",
        request=AccommodationSerializer,
        responses={200: UserSerializer, **error_responses(*BODY, 403)},
    )
    def patch(self, request: Request) -> Response:
        data = AccommodationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.profile_update(user=request.user, **data.validated_data)
        return Response(UserSerializer(user_payload(request.user)).data)


class TokenView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle, SignInAccountThrottle]

    @extend_schema(
        summary="Get an API token for scripts (send it as 'Authorization: Token <key>')",
        request=CredentialsSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            **error_responses(*BODY, 403),
        },
    )
    def post(self, request: Request) -> Response:
        user = _credentials_user(request)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class CsrfView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Set the CSRF cookie for the browser app and return its token",
        responses={
            200: inline_serializer("CsrfResponse", {"csrf_token": serializers.CharField()}),
            **error_responses(),
        },
    )
    def get(self, request: Request) -> Response:
        return Response({"csrf_token": get_token(request)})
