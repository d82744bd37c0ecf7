"""The dashboard server: Voila with sign-in, roles and hardening (``make dashboards``).

Built from the Jupyter stack's own extension points, not a web layer of our own:

- :mod:`sofs_lib.server.users` — the one users file (``SOFS_USERS_FILE``, argon2 hashes from
  ``jupyter_server.auth.passwd``), the demo accounts of the synthetic set, ``sofs users``;
- :mod:`sofs_lib.server.auth` — a jupyter_server ``IdentityProvider`` (Dutch login page,
  signed session cookie, optional trusted proxy header) and ``Authorizer`` (a user reaches
  only the kernels started for them);
- :mod:`sofs_lib.server.kernels` — the kernel manager (kernels per user and in total capped,
  ownership), the websocket connection (only widget messages from the browser, bounded
  frame parsing), the websocket handler (v1 subprotocol required) and the Voila
  ``prelaunch_hook`` that binds each kernel to the signed-in identity
  (:func:`sofs_lib.access.bind`) before the dashboard's own cells run;
- :mod:`sofs_lib.server.downloads` — the panel downloads (XLSX, CSV, PNG) rendered on request
  for the signed-in identity from its release slice;
- :mod:`sofs_lib.server.app` — the Voila application with those pieces plugged in, Host
  checking switched back on and Font Awesome served from the local package.

``sofs_lib.serve`` starts it; ``docs/deployment.md`` describes a deployment behind a TLS proxy.
"""
