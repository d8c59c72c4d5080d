import hashlib
import hmac
import stat

from ingest.pii import hash_id, pii_key


def test_key_file_created_0600_in_0700_dir_and_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("CIVSTAT_PII_KEY", raising=False)
    key = pii_key(tmp_path)
    path = tmp_path / "secrets" / "pii.key"
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert pii_key(tmp_path) == key  # the second call reads the same key


def test_env_key_wins_and_is_read_at_call_time(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVSTAT_PII_KEY", "s3cret")
    assert pii_key(tmp_path) == b"s3cret"
    assert not (tmp_path / "secrets" / "pii.key").exists()


def test_hash_is_hmac_of_normalised_id():
    key = b"k" * 32
    # 15-digit 110101900307447 -> insert 19 -> 11010119900307447; weighted sum
    # 7+9+0+5+0+4+2+9+54+0+0+27+0+35+32+16+14 = 214, 214 mod 11 = 5, (12-5) mod 11 = 7
    expected = hmac.new(key, b"110101199003074477", hashlib.sha256).hexdigest()
    assert hash_id(key, "110101900307447") == expected
    assert hash_id(key, " 110101199003074477 ") == expected
    # lower-case x is upper-cased
    upper = hmac.new(key, b"11010519491231002X", hashlib.sha256).hexdigest()
    assert hash_id(key, "11010519491231002x") == upper
