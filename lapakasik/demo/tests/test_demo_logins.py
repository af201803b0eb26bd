from django.contrib.auth.hashers import check_password

from lapakasik.accounts.models import User
from lapakasik.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, DEMO_PASSWORD_HASH


def test_the_stored_demo_password_hash_is_the_hash_of_the_demo_password():
    assert check_password(DEMO_PASSWORD, DEMO_PASSWORD_HASH)


def test_every_demo_login_shares_that_hash(db):
    for login in DEMO_LOGINS:
        assert User.objects.get(username=login.username).password == DEMO_PASSWORD_HASH, login.username
