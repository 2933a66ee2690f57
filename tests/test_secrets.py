"""A PostgreSQL password in a warehouse address is never printed: not in the one-line error of a
command that cannot reach the server, nor in a traceback."""

import pytest
from helpers import zhibiao

from orchestration.warehouse.address import redact

SECRET = "Hunter2-zb"


@pytest.mark.parametrize("password", [SECRET, f"'{SECRET} x'"])
@pytest.mark.parametrize("command", [["facts"], ["sql", "select 1"], ["export", "/tmp/zb-never-written"]])
def test_read_commands_never_print_the_password(tmp_path, command, password):
    address = f"ducklake:postgres:dbname=zb host={tmp_path}/no-server user=zb password={password}"
    result = zhibiao(*command, "--warehouse", address, "--data-path", str(tmp_path / "data"))
    assert result.returncode != 0
    assert SECRET not in result.stderr + result.stdout
    assert "password=***" in result.stderr


def test_a_build_that_cannot_reach_the_catalog_never_prints_the_password(tmp_path, dagster_env):
    address = f"ducklake:postgres:dbname=zb host={tmp_path}/no-server user=zb password={SECRET}"
    result = zhibiao("build", "--warehouse", address, "--data-path", str(tmp_path / "data"), env=dagster_env)
    assert result.returncode != 0
    assert SECRET not in result.stderr + result.stdout
    assert len([line for line in result.stderr.splitlines() if "cannot open the lake" in line]) == 1


@pytest.mark.parametrize("text, shown", [
    ("dbname=a password=abc host=x", "dbname=a password=*** host=x"),
    ("password = 'a b\\' c' host=x", "password = *** host=x"),
    ("postgresql://zb:pw@localhost/db", "postgresql://zb:***@localhost/db"),
    ("at password=***: IO Error", "at password=***: IO Error"),  # hidden once is hidden
])
def test_redact(text, shown):
    assert redact(text) == shown
