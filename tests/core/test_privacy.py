"""IP anonymization and the app's privacy section."""

from __future__ import annotations

import pytest

from clicktrail.core.journeys.privacy import anonymize_ip

from ..helpers import ADMIN, configure


@pytest.mark.parametrize(
    ("ip", "stored"),
    [
        ("81.2.69.142", "81.2.69.0"),
        ("10.0.0.255", "10.0.0.0"),
        ("2a02:2e0:3fe:1001:7777:772e:2:85", "2a02:2e0:3fe::"),
        ("2a02:2e0::1", "2a02:2e0::"),
        ("::ffff:81.2.69.142", "81.2.69.0"),
        ("testclient", "testclient"),
    ],
)
def test_an_address_is_cut_to_its_network(ip, stored):
    assert anonymize_ip(ip) == stored


def app(privacy=None):
    spec = {"id": "acme", "name": "Acme"}
    if privacy is not None:
        spec["privacy"] = privacy
    return {"apps": [spec]}


def test_the_privacy_section_is_applied_once_and_kept_when_absent(client):
    first = configure(client, app({"anonymize_ip": True, "personal_data_days": 30}))
    assert "acme: privacy settings updated" in first["changes"]
    assert configure(client, app({"anonymize_ip": True, "personal_data_days": 30}))["changed"] is False
    assert configure(client, app())["changed"] is False
    stored = client.get("/admin/v1/apps/acme", headers=ADMIN).json()["config"]
    assert stored["privacy"] == {"anonymize_ip": True, "personal_data_days": 30}


@pytest.mark.parametrize(
    ("privacy", "path"),
    [
        ({"anonymize_ips": True}, "apps[0].privacy.anonymize_ips"),
        ({"personal_data_days": 0}, "apps[0].privacy.personal_data_days"),
    ],
)
def test_a_wrong_privacy_section_is_refused_with_its_path(client, privacy, path):
    response = client.put("/admin/v1/config", json=app(privacy), headers=ADMIN)
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == [path]
