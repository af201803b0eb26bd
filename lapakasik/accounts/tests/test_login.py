from django.urls import reverse

from lapakasik.demo.loader import DEMO_PASSWORD


def test_demo_staff_can_log_in(client, branch_head):
    response = client.post(reverse("login"), {"username": "kepalacabang", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, branch_head, settings):
    settings.LOGIN_ATTEMPTS_LIMIT = 3
    for _ in range(3):
        failed = client.post(reverse("login"), {"username": "kepalacabang", "password": "wrong-password"})
        assert failed.status_code == 200
    locked = client.post(reverse("login"), {"username": "kepalacabang", "password": DEMO_PASSWORD})
    assert locked.status_code == 200
    assert "Terlalu banyak percobaan" in locked.content.decode()
