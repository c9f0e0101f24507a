"""Who signs in by single sign-on (issue 25): the account of the address the council's provider
confirmed, or, on a first sign-in, one made for them if an admin allowed their e-mail domain
(`SsoDomain`), with that domain's role. Anyone else needs an admin to make their account.

A domain is matched exactly (`bromley.gov.uk` allows `name@bromley.gov.uk`, not
`name@schools.bromley.gov.uk`). An account made here has no password and is recorded in the
audit trail; a sign-in itself is not (it would drown the trail).

An address alone does not say who someone is: a provider may let a person put any address in
their profile, and Entra ID does not say whether it confirmed one. So an account's first single
sign-on binds it to the council account that made it (the ID token's issuer and subject, which
the provider never gives to another), and afterwards a token naming the same address for another
council account is refused. An admin lets an account be bound again (its person's council
account was made anew) with `api.account_admin.Change.forget_single_sign_on`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select, update

from api.accounts import AccountError, create_account, may_sign_in
from api.oidc import Person, Refused
from api.storage import reading, writing
from api.tables import Account, SsoDomain


def account_for(engine: Engine, who: Person, now: dt.datetime) -> Account:
    """The account `who` signs in to: theirs by e-mail address, if it may sign in and is bound
    to their council account (or to none yet: it is bound now); else, if an admin allowed
    their domain, one made now with the domain's role (recorded in the audit trail), and bound.

    Raises:
        Refused: no account and the domain not allowed, the account is disabled, or it is
            bound to another council account.
    """
    domain = who.email.rpartition("@")[2]
    with reading(engine) as session:
        account = session.scalar(select(Account).where(Account.email == who.email))
        allowed = None if account is not None else session.get(SsoDomain, domain)
    if account is None and allowed is None:
        raise Refused(
            403,
            f"there is no account for {who.email}; ask your admin to make one or to allow your"
            " domain",
        )
    if account is None:
        assert allowed is not None
        account = _first_sign_in(engine, who, allowed.role, now)
    if not may_sign_in(account):
        raise Refused(403, f"the account for {who.email} is disabled: ask your admin")
    return _bound(engine, account, who)


def _bound(engine: Engine, account: Account, who: Person) -> Account:
    """`account`, bound to `who`'s council account if it was bound to none (by this sign-in,
    or by another a moment ago: the first to bind it wins).

    Raises:
        Refused: it is bound to another council account.
    """
    if account.sso_subject is None:
        with writing(engine) as session:
            session.execute(
                update(Account)
                .where(Account.id == account.id, Account.sso_subject.is_(None))
                .values(sso_issuer=who.issuer, sso_subject=who.subject)
            )
            account = session.get_one(Account, account.id)
    if (account.sso_issuer, account.sso_subject) != (who.issuer, who.subject):
        why = (
            f"account {account.id} is bound to {account.sso_subject!r} of"
            f" {account.sso_issuer!r}, not to {who.subject!r} of {who.issuer!r}"
        )
        words = (
            "this council account is not the one that first signed in to the account for"
            f" {who.email}: ask your admin"
        )
        raise Refused(403, words, why)
    return account


def _first_sign_in(engine: Engine, who: Person, role: str, now: dt.datetime) -> Account:
    """The account made for `who` on their first sign-in, with `role`; or, if a sign-in in
    another tab made it a moment ago, that one."""
    said = f"Account made for {who.name} ({who.email}) on their first single sign-on."
    try:
        return create_account(engine, who.email, who.name, role, None, now, said=said)  # type: ignore[arg-type]
    except AccountError as error:
        with reading(engine) as session:
            made = session.scalar(select(Account).where(Account.email == who.email))
        if made is None:  # the domain's role is not one (see the log)
            why = f"no account could be made for {who.email}: {error}"
            words = f"no account could be made for {who.email}: ask your admin"
            raise Refused(403, words, why) from None
        return made
