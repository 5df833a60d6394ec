"""The district's OpenID Connect provider as the tests configure it (the ``OIDC_*``
variables' settings), pointed at a provider started on 127.0.0.1."""


def district_provider(server_url: str) -> dict:
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "district",
                    "name": "Alpha District ID",
                    "client_id": "pilot-site",
                    "secret": "pilot-secret",
                    "settings": {"server_url": server_url},
                }
            ],
        }
    }
