"""The deployment files (deploy/, docs/deploy.md) configure what the code reads: the instance file
is one Dagster opens with its storage in PostgreSQL, and the compose file and Helm values set the
variables zhibiao takes its warehouse, reports and object store from."""

import shutil
import tomllib

import dagster as dg
import pytest
import yaml
from helpers import PROJECT_ROOT, create_postgres_database, local_postgres

from orchestration.app.environment import SHARED_INSTANCE_VARIABLE, TELEMETRY_OFF
from orchestration.lib.concurrency import POOL_LIMITS
from orchestration.warehouse.address import ADDRESS_VARIABLE, DATA_PATH_VARIABLE, REPORTS_VARIABLE
from orchestration.warehouse.backends import LakeBackend

DEPLOY = PROJECT_ROOT / "deploy"
CODE_MODULE = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["dagster"][
    "module_name"]


@pytest.mark.integration
def test_the_deployment_instance_keeps_its_runs_in_postgresql_and_queues_a_lakes_runs(tmp_path, monkeypatch):
    with local_postgres() as server:
        conninfo = dict(part.split("=", 1) for part in create_postgres_database(server, "dagster").split())
        monkeypatch.setenv(SHARED_INSTANCE_VARIABLE,
                           f"postgresql+psycopg2://{conninfo['user']}@/{conninfo['dbname']}?host={conninfo['host']}")
        home = tmp_path / "home"
        home.mkdir()
        shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
        with dg.DagsterInstance.from_config(str(home)) as instance:
            assert type(instance.run_storage).__name__ == "PostgresRunStorage"
            assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
            queue = instance.get_concurrency_config().run_queue_config
            assert queue.max_concurrent_runs == LakeBackend.concurrent_runs
            assert instance.telemetry_enabled is False
            run = instance.create_run_for_job(dg.GraphDefinition(name="noop").to_job())
            assert [r.run_id for r in instance.get_runs()] == [run.run_id]


def test_the_compose_file_sets_what_zhibiao_reads_in_every_process():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    for name in ("code", "webserver", "daemon", "pools"):
        env = services[name]["environment"]
        assert {ADDRESS_VARIABLE, DATA_PATH_VARIABLE, REPORTS_VARIABLE, SHARED_INSTANCE_VARIABLE} <= set(env), name
        assert TELEMETRY_OFF.items() <= env.items(), name
        assert env[DATA_PATH_VARIABLE].startswith("s3://") and env["AWS_ENDPOINT_URL"].startswith("http://objects:")
    assert services["code"]["command"][:5] == ["dagster", "api", "grpc", "-m", CODE_MODULE]
    for pool, limit in POOL_LIMITS.items():
        assert f"dagster instance concurrency set {pool} {limit}" in services["pools"]["command"][-1]


def test_the_helm_values_set_what_zhibiao_reads_in_the_code_location_and_its_runs():
    values = yaml.safe_load((DEPLOY / "helm-values.yaml").read_text(encoding="utf-8"))
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"] == ["-m", CODE_MODULE]
    env = {item["name"]: item["value"] for item in deployment["env"]}
    assert {DATA_PATH_VARIABLE, REPORTS_VARIABLE} <= set(env) and TELEMETRY_OFF.items() <= env.items()
    assert deployment["includeConfigInLaunchedRuns"]["enabled"] is True
    assert values["telemetry"]["enabled"] is False and values["postgresql"]["enabled"] is False
    queued = values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert queued["maxConcurrentRuns"] == LakeBackend.concurrent_runs
