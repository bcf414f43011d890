# Copyright 2025 Switchboard contributors.
"""The package over the loaded library, without a router: ids, status names, errors."""
import pytest

from switchboard import Client, OfferStatus, SwitchboardError, name_id


def fnv1a64(name):
    """Java's NameIds.of: FNV-1a 64 over the UTF-8 bytes, 0 mapped to 1, as a signed 64-bit value."""
    h = 0xcbf29ce484222325
    for byte in name.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    h = h or 1
    return h - (1 << 64) if h >= (1 << 63) else h


@pytest.mark.parametrize("name", ["jobs.build", "work-1", "é-queue", "x"])
def test_name_ids_are_the_routers(library, name):
    assert name_id(name) == fnv1a64(name)


def test_status_names_are_the_libraries(library):
    for status in OfferStatus:
        assert library.sb_offer_status_name(int(status)).decode() == status.name


def test_connecting_where_no_router_listens_raises_with_the_reason(library, tmp_path):
    with pytest.raises(SwitchboardError) as raised:
        Client(socket_path=str(tmp_path / "nobody.sock"), shm_dir=str(tmp_path))
    assert raised.value.code == 1001  # SB_ERR_IO
    assert "nobody.sock" in str(raised.value)


def test_a_non_string_name_is_a_type_error(library, tmp_path):
    with pytest.raises(TypeError):
        name_id(42)
