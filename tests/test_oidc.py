"""The ID token checks of single sign-on (`api.oidc.checked_id_token`, `api.oidc.person`), each
alone: tokens signed here with keys made here, one claim wrong at a time. The whole sign-in
through a real provider is tests/test_web_sso.py."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from api.oidc import LEEWAY, Refused, checked_id_token, person

ISSUER = "https://login.microsoftonline.com/4a9c1c5e-0f6b-4b0e-9d8c-2b1f5f0e3a11/v2.0"
CLIENT = "scrutiny-work-programme"
NONCE = "n-0S6_WzA2Mj"
NOW = 1_796_000_000  # seconds: a fixed moment
KEY = RSAKey.generate_key(2048, parameters={"kid": "council-1"})
#: What the provider publishes: the public half only.
PUBLISHED = KeySet.import_key_set(KeySet([KEY]).as_dict(private=False))


def claims(**changed: Any) -> dict[str, Any]:
    """A sound ID token's claims, with `changed` (None: left out)."""
    sound = {
        "iss": ISSUER,
        "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
        "aud": CLIENT,
        "exp": NOW + 3600,
        "iat": NOW - 5,
        "nonce": NONCE,
        "email": "philippa.gibbs@bromley.gov.uk",
        "name": "Philippa Gibbs",
    }
    sound.update(changed)
    return {k: v for k, v in sound.items() if v is not None}


def signed(payload: dict[str, Any], key: Any = KEY, alg: str = "RS256") -> str:
    return jwt.encode({"alg": alg, "kid": "council-1"}, payload, key)


def check(token: str) -> dict[str, Any]:
    return checked_id_token(token, PUBLISHED, ISSUER, CLIENT, NONCE, NOW)


def refused(token: str) -> Refused:
    with pytest.raises(Refused) as caught:
        check(token)
    assert caught.value.status == 401
    assert caught.value.words.startswith("the council's sign-in did not confirm who you are")
    return caught.value


def test_a_sound_token_gives_its_claims() -> None:
    assert check(signed(claims()))["email"] == "philippa.gibbs@bromley.gov.uk"


def test_a_token_from_another_issuer_is_refused() -> None:
    other = "https://login.microsoftonline.com/common/v2.0"
    assert "iss" in refused(signed(claims(iss=other))).why


def test_an_issuer_that_differs_only_by_a_trailing_slash_is_refused() -> None:
    refused(signed(claims(iss=ISSUER + "/")))


def test_a_token_for_another_client_is_refused() -> None:
    assert "aud" in refused(signed(claims(aud="another-service"))).why


def test_a_token_for_several_audiences_including_ours_holds() -> None:
    assert check(signed(claims(aud=["another-service", CLIENT])))


def test_a_token_given_to_another_party_is_refused() -> None:
    why = refused(signed(claims(aud=["another-service", CLIENT], azp="another-service"))).why
    assert "given to 'another-service'" in why


def test_an_expired_token_is_refused() -> None:
    assert "exp" in refused(signed(claims(exp=NOW - LEEWAY - 1))).why


def test_a_token_just_expired_within_the_leeway_holds() -> None:
    assert check(signed(claims(exp=NOW - LEEWAY + 5)))


def test_a_token_without_expiry_is_refused() -> None:
    refused(signed(claims(exp=None)))


def test_a_token_issued_in_the_future_is_refused() -> None:
    refused(signed(claims(iat=NOW + LEEWAY + 60)))


def test_a_token_not_yet_valid_is_refused() -> None:
    refused(signed(claims(nbf=NOW + LEEWAY + 60)))


def test_a_token_for_another_sign_in_is_refused() -> None:
    assert "nonce" in refused(signed(claims(nonce="another-sign-ins-nonce"))).why


def test_a_token_without_nonce_is_refused() -> None:
    refused(signed(claims(nonce=None)))


def test_a_nonce_that_is_a_list_holding_ours_is_refused() -> None:
    """The claims registry takes a list holding the expected value (as an audience may be):
    a nonce is one string, this sign-in's."""
    assert "nonce" in refused(signed(claims(nonce=[NONCE, "another-sign-ins-nonce"]))).why


def test_a_token_signed_with_another_key_is_refused() -> None:
    stranger = RSAKey.generate_key(2048, parameters={"kid": "council-1"})
    refused(signed(claims(), key=stranger))


def test_a_token_signed_with_a_shared_secret_is_refused() -> None:
    """An HMAC token keyed with what a client knows (its secret) proves nothing about the
    provider: only public-key signatures are taken."""
    secret = OctKey.import_key("a-client-secret-0123456789", parameters={"kid": "council-1"})
    token = signed(claims(), key=secret, alg="HS256")
    with pytest.raises(Refused):
        checked_id_token(token, KeySet([secret]), ISSUER, CLIENT, NONCE, NOW)


def test_an_unsigned_token_is_refused() -> None:
    header = _base64url(b'{"alg":"none"}')
    payload = signed(claims()).split(".")[1]
    refused(f"{header}.{payload}.")


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_person_is_their_address_lower_case_their_name_and_council_account() -> None:
    found = person(claims(email="Philippa.Gibbs@Bromley.gov.uk", email_verified=True))
    assert (found.email, found.name) == ("philippa.gibbs@bromley.gov.uk", "Philippa Gibbs")
    assert (found.issuer, found.subject) == (ISSUER, claims()["sub"])


@pytest.mark.parametrize("changed", [{"sub": None}, {"sub": ""}, {"iss": None}, {"sub": 7}])
def test_claims_naming_no_council_account_name_nobody(changed: dict[str, Any]) -> None:
    with pytest.raises(Refused) as caught:
        person(claims(**changed))
    assert caught.value.status == 401


def test_an_address_not_marked_either_way_is_taken() -> None:
    """Entra ID says nothing of `email_verified`: only an address marked unconfirmed is
    refused."""
    assert person(claims()).email == "philippa.gibbs@bromley.gov.uk"


@pytest.mark.parametrize("verified", [False, "false"])
def test_an_unconfirmed_address_is_refused(verified: object) -> None:
    with pytest.raises(Refused) as caught:
        person(claims(email_verified=verified))
    assert caught.value.status == 403
    assert caught.value.words == (
        "the council's sign-in gave no confirmed e-mail address: ask your admin"
    )


@pytest.mark.parametrize("email", [None, "", "not an address", 42])
def test_a_token_without_an_address_is_refused(email: object) -> None:
    with pytest.raises(Refused) as caught:
        person(claims(email=email))
    assert caught.value.status == 403


@pytest.mark.parametrize("name", [None, "", "   ", "Gibbs\x00", "x" * 500])
def test_a_person_without_a_usable_name_is_named_by_their_address(name: object) -> None:
    assert person(claims(name=name)).name == "philippa.gibbs@bromley.gov.uk"
