"""web.forms.Form.secret: a password arrives exactly as typed."""

from web.forms import Form


def test_secret_keeps_spaces_and_takes_the_last_value():
    form = Form.of({"password": ["first", "  kata sandi  "], "name": "  Ani "})
    assert form.secret("password") == "  kata sandi  "
    assert form.one("name") == "Ani"
    assert form.secret("missing") == ""
