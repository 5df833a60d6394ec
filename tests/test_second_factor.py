"""The second factor: authenticator-app codes (computed here with pyotp) and recovery
codes on a password sign-in, counted by axes with the passwords; the forced set-up for
coordinators and liaisons; the reset by a program coordinator; the access log."""

import hashlib
import re
import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from fido2.cose import ES256
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    RegistrationResponse,
)

from pilot.models import AuditEntry, RoleAssignment

from .factories import PASSWORD

LOGIN = "/accounts/login/"
CODE_PAGE = "/accounts/2fa/authenticate/"
SET_UP_PAGE = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # used codes are remembered in the cache


def password_sign_in(client: Client, email: str):
    return client.post(LOGIN, {"username": email, "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def with_authenticator(user) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return pyotp.TOTP(secret)


@pytest.mark.django_db
class TestCodeAtSignIn:
    def test_a_password_alone_does_not_sign_in_someone_with_an_authenticator(self, world):
        user = world.users["pc"]
        totp = with_authenticator(user)
        client = Client()
        response = password_sign_in(client, user.email)
        assert response.status_code == 302 and response["Location"] == CODE_PAGE
        assert not signed_in(client)
        page = client.get(CODE_PAGE)
        assert page.status_code == 200 and 'for="id_code"' in page.text
        assert "Code from your authenticator app, or a recovery code" in page.text
        answer = client.post(CODE_PAGE, {"code": totp.now()})
        assert answer.status_code == 302 and answer["Location"] == "/"
        assert signed_in(client) and client.get("/").status_code == 200

    def test_a_wrong_code_is_refused(self, world):
        user = world.users["pc"]
        totp = with_authenticator(user)
        client = Client()
        password_sign_in(client, user.email)
        wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
        page = client.post(CODE_PAGE, {"code": wrong})
        assert page.status_code == 200 and "Incorrect code" in page.text
        assert not signed_in(client)

    def test_a_code_from_the_previous_window_is_refused(self, world):
        user = world.users["pc"]
        totp = with_authenticator(user)
        client = Client()
        password_sign_in(client, user.email)
        previous = totp.at(time.time() - 30)
        if previous == totp.now():  # the same digits twice in a row: vanishingly rare
            pytest.skip("previous and current codes coincide")
        page = client.post(CODE_PAGE, {"code": previous})
        assert "Incorrect code" in page.text and not signed_in(client)

    def test_a_code_cannot_be_used_twice(self, world):
        user = world.users["pc"]
        totp = with_authenticator(user)
        code = totp.now()
        first = Client()
        password_sign_in(first, user.email)
        first.post(CODE_PAGE, {"code": code})
        assert signed_in(first)
        second = Client()
        password_sign_in(second, user.email)
        page = second.post(CODE_PAGE, {"code": code})
        assert "Incorrect code" in page.text and not signed_in(second)

    def test_a_recovery_code_works_once_and_is_logged(self, world):
        user = world.users["dc_own"]
        with_authenticator(user)
        code = RecoveryCodes.activate(user).get_unused_codes()[0]
        first = Client()
        password_sign_in(first, user.email)
        assert first.post(CODE_PAGE, {"code": code}).status_code == 302 and signed_in(first)
        assert AuditEntry.objects.filter(action="mfa_code_used", subject=user.email).count() == 1
        second = Client()
        password_sign_in(second, user.email)
        page = second.post(CODE_PAGE, {"code": code})
        assert "Incorrect code" in page.text and not signed_in(second)

    def test_five_wrong_codes_lock_the_account_like_passwords(self, world):
        user = world.users["pc"]
        totp = with_authenticator(user)
        client = Client()
        password_sign_in(client, user.email)
        for _ in range(5):
            client.post(CODE_PAGE, {"code": "000000" if totp.now() != "000000" else "111111"})
        page = client.post(CODE_PAGE, {"code": totp.now()})
        assert "Too many failed sign-ins" in page.text and not signed_in(client)
        # The password page is locked for the account too, the right password included.
        locked = password_sign_in(Client(), user.email)
        assert locked.status_code == 429 or "locked" in locked.text.lower()


@pytest.mark.django_db
class TestForcedSetUp:
    @pytest.fixture(autouse=True)
    def _required(self, settings) -> None:
        settings.MFA_REQUIRED = True

    def test_a_coordinator_sets_up_the_authenticator_before_anything_else(
        self, world, django_capture_on_commit_callbacks
    ):
        user = world.users["dc_own"]
        client = Client()
        assert password_sign_in(client, user.email)["Location"] == "/"
        for page in ("/", reverse("pilot:staff-list"), reverse("pilot:district-list")):
            response = client.get(page)
            assert response.status_code == 302 and response["Location"] == SET_UP_PAGE, page
        set_up = client.get(SET_UP_PAGE)
        assert set_up.status_code == 200
        secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', set_up.text)
        assert secret, set_up.text
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(SET_UP_PAGE, {"code": pyotp.TOTP(secret.group(1)).now()})
        assert done.status_code == 302
        assert client.get("/").status_code == 200
        assert Authenticator.objects.filter(user=user, type="totp").exists()
        assert AuditEntry.objects.filter(action="mfa_enabled", subject=user.email).exists()

    @pytest.mark.parametrize("persona", ["liaison", "pc"])
    def test_liaisons_and_program_coordinators_too(self, world, persona: str):
        client = Client()
        password_sign_in(client, world.users[persona].email)
        assert client.get("/")["Location"] == SET_UP_PAGE

    @pytest.mark.parametrize("persona", ["teacher", "para"])
    def test_optional_for_teachers_and_paraprofessionals(self, world, persona: str):
        client = Client()
        password_sign_in(client, world.users[persona].email)
        assert client.get("/").status_code == 200

    def test_off_when_mfa_required_is_off(self, world, settings):
        settings.MFA_REQUIRED = False
        client = Client()
        password_sign_in(client, world.users["dc_own"].email)
        assert client.get("/").status_code == 200


@pytest.mark.django_db
class TestReset:
    def test_the_program_coordinator_resets_someones_second_factor(self, world, login):
        person = world.users["dc_own"]
        with_authenticator(person)
        RecoveryCodes.activate(person)
        victim_session = Client()
        victim_session.force_login(person)
        response = login(world.users["pc"]).post(reverse("second-factor-reset", args=[person.uuid]))
        assert response.status_code == 302 and response["Location"] == reverse("pilot:role-list")
        assert not Authenticator.objects.filter(user=person).exists()
        entry = AuditEntry.objects.get(action="mfa_reset")
        assert entry.subject == person.email and entry.actor == world.users["pc"]
        # Their sessions end; at the next password sign-in they set it up again.
        assert victim_session.get("/").status_code == 302
        settings_client = Client()
        password_sign_in(settings_client, person.email)
        assert signed_in(settings_client)

    def test_the_roles_page_offers_the_reset(self, world, login):
        page = login(world.users["pc"]).get(reverse("pilot:role-list")).text
        dc = RoleAssignment.objects.filter(user=world.users["dc_own"]).first()
        assert reverse("second-factor-reset", args=[dc.user.uuid]) in page

    @pytest.mark.parametrize("persona", ["dc_own", "liaison", "teacher"])
    def test_nobody_else_may_reset(self, world, login, persona: str):
        person = world.users["para"]
        with_authenticator(person)
        response = login(world.users[persona]).post(
            reverse("second-factor-reset", args=[person.uuid])
        )
        assert response.status_code == 403
        assert Authenticator.objects.filter(user=person).exists()


def registration(rp_id: str = "testserver") -> dict:
    """A browser's answer to "make a passkey" (the JSON allauth stores), built with fido2
    for a fresh P-256 key: what the code page reads to ask for that passkey."""
    key = ec.generate_private_key(ec.SECP256R1())
    credential_id = b"\x01" * 16
    attested = AttestedCredentialData.create(
        Aaguid.NONE, credential_id, ES256.from_cryptography_key(key.public_key())
    )
    flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
    auth_data = AuthenticatorData.create(
        hashlib.sha256(rp_id.encode()).digest(), flags, 0, attested
    )
    client_data = CollectedClientData.create(
        type="webauthn.create", challenge=b"c" * 16, origin=f"https://{rp_id}"
    )
    answer = AuthenticatorAttestationResponse(
        client_data=client_data,
        attestation_object=AttestationObject.create("none", auth_data, {}),
    )
    return dict(RegistrationResponse(raw_id=credential_id, response=answer))


@pytest.mark.django_db
class TestPasskeyAtSignIn:
    """A passkey answers the code step (tests/browser/test_passkey_journey.py signs in with a
    real one); a refused answer counts like a wrong code, with a message and never a 500."""

    @pytest.fixture
    def user_with_passkey(self, world):
        user = world.users["pc"]
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.WEBAUTHN,
            data={"name": "Desk key", "credential": registration()},
        )
        return user

    def test_the_code_page_offers_the_passkey_to_those_who_have_one(self, world, user_with_passkey):
        client = Client()
        password_sign_in(client, user_with_passkey.email)
        page = client.get(CODE_PAGE).text
        assert "Use a passkey" in page and 'id="js_data"' in page
        other = world.users["dc_own"]
        with_authenticator(other)
        plain = Client()
        password_sign_in(plain, other.email)
        assert "Use a passkey" not in plain.get(CODE_PAGE).text

    @pytest.mark.parametrize(
        "answer", ['{"id": "forged"}', "not json", '{"id": "x", "rawId": "x", "response": {}}']
    )
    def test_a_forged_answer_is_refused_without_a_500(self, user_with_passkey, answer: str):
        client = Client()
        password_sign_in(client, user_with_passkey.email)
        page = client.post(CODE_PAGE, {"credential": answer})
        assert page.status_code == 200 and not signed_in(client)
        assert "This passkey answer was not accepted" in page.text  # said on the page

    def test_five_refused_answers_lock_the_account_like_passwords(self, user_with_passkey):
        client = Client()
        password_sign_in(client, user_with_passkey.email)
        for _ in range(5):
            client.post(CODE_PAGE, {"credential": '{"id": "forged"}'})
        locked = password_sign_in(Client(), user_with_passkey.email)
        assert locked.status_code == 429 or "locked" in locked.text.lower()

    def test_a_malformed_answer_to_add_a_passkey_gets_a_message(self, world, login):
        client = login(world.users["teacher"])
        assert client.get("/accounts/2fa/webauthn/add/").status_code == 200
        page = client.post(
            "/accounts/2fa/webauthn/add/", {"name": "Mine", "credential": '{"id": "x"}'}
        )
        assert page.status_code == 200 and "was not accepted" in page.text
        assert not Authenticator.objects.filter(user=world.users["teacher"]).exists()
