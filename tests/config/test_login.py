import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_five_wrong_passwords_pause_the_login_even_for_the_right_one(client, users):
    # given: four wrong passwords are answered as usual, the fifth pauses the login
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "customer", "password": "guess"})
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.text
    fifth = client.post(reverse("login"), {"username": "customer", "password": "guess"})
    assert fifth.status_code == 429
    # when
    locked = client.post(reverse("login"), {"username": "customer", "password": "ordercraft"})
    # then
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.text
    assert "_auth_user_id" not in client.session


def test_a_right_password_logs_in_and_sessions_expire(client, users, settings):
    response = client.post(reverse("login"), {"username": "sales", "password": "ordercraft"})
    assert response.status_code == 302
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 12 * 3600
