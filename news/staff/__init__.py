"""Who gets into the admin: login throttling (django-axes), the staff user admin, and two-factor
authentication for staff: an authenticator app (TOTP) and one-time backup codes.

Built on django-otp. Logging in stays the admin's own login form (password, throttled by
django-axes). After it, a staff member is *pending* until a second step is done:

- one with a confirmed authenticator must give a current code (``verify``);
- one without, while two-factor authentication is required (``SiteSettings.require_two_factor``,
  or ``PORTAL_REQUIRE_TWO_FACTOR`` in the environment), must set one up first
  (``setup``).

``TwoFactorMiddleware`` sends a pending staff member's every admin request to that step (the
step itself, logging in and logging out excepted) and shows them the public site as it shows it
to a reader, so a password alone opens no admin page and no preview of a draft. Staff without an
authenticator, while it is not required, work as before. django-otp remembers in the session
which device verified it; removing the device (``manage.py reset_two_factor``) ends that.

A code is accepted once: django-otp keeps the time step of the last accepted code (``last_t``)
and accepts only later ones, so a replayed code is refused. Each wrong code doubles the wait
before the next try on that device (django-otp's throttling: 1, 2, 4, … seconds), and is
recorded in the audit log like a failed login. Backup codes are deleted as they are used.

The app has no models: the devices are django-otp's, the accounts Django's.
"""
