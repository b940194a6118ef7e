from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import api, views
from accounts.views import local_passwords_only

app_name = "accounts"

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("oidc/authenticate/", views.oidc_start, name="oidc-start"),
    path("oidc/callback/", views.oidc_callback, name="oidc-callback"),
]

# Django's own account pages (django.contrib.auth.urls), with ours in place of sign-in, sign-out and
# password reset; the password pages answer 404 where single sign-on is the only way in.
auth_urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        local_passwords_only(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password_change/done/",
        local_passwords_only(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("password_reset/", local_passwords_only(views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password_reset/done/",
        local_passwords_only(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        local_passwords_only(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        local_passwords_only(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

# Under /api/v1/auth/ (the token endpoint keeps its historical name `api-token`).
api_urlpatterns = [
    path("token/", api.TokenObtainApi.as_view(), name="api-token"),
    path("token/rotate/", api.TokenRotateApi.as_view(), name="api-token-rotate"),
    path("tokens/", api.TokenListApi.as_view(), name="api-tokens"),
    path("tokens/<int:token_id>/", api.TokenRevokeApi.as_view(), name="api-token-revoke"),
]
