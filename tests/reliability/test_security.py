"""Secrets only from the environment and never written down; TLS verification on; credentials
stay with the registry's host; identifiers from configuration refused before they reach a path
or SQL; `ecw query` cannot change the published marts.

Scheme and host refusals of redirects are covered in tests/integration/test_http_client.py, and
bad ids in the registry file in tests/unit/test_registry.py; these tests do not repeat them.
"""
from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ingestion.cli import main as ecw
from ingestion.http_client import FetchError
from ingestion.pipeline import extract_one
from ingestion.registry import RegistryError
from ingestion.settings import Paths
from tests.reliability.conftest import FAKE_SECRET, NIGHT_DATE
from tests.reliability.harness import marts_digest, query, snapshot_records, tables_containing, write_registry
from tests.support.fault_server import FaultServer, Reply

pytestmark = pytest.mark.reliability

ELECTIONS_BODY = json.dumps({"elections": snapshot_records("cec_elections")}).encode("utf-8")


def test_fake_secret_appears_in_no_log_file_row_or_mart(night, reliability):
    """Steps 4 and 5 of tests/reliability/long_night.py ran with the fake secret in an env var."""
    paths, seen = night
    sent = seen["secret_sent"]
    places = []
    if FAKE_SECRET in seen["captured"].text + seen["again_captured"].text:
        places.append("captured output and logs")
    if FAKE_SECRET in json.dumps([seen["completed"]["result"], seen["again"]["result"]], default=str):
        places.append("run results")
    files = [p for folder in (seen["faulty"].data_dir, paths.data_dir) for p in folder.rglob("*") if p.is_file()]
    places += [str(p) for p in files if FAKE_SECRET.encode() in p.read_bytes()]
    for database, schema in ((paths.warehouse, "raw"), (paths.warehouse, "staging"), (paths.warehouse, "marts"),
                             (paths.marts, "main"), (seen["faulty"].marts, "main")):
        places += tables_containing(database, schema, FAKE_SECRET)
    refused = seen["completed"]["result"]["extract"]["observer_statements"]["error"]
    reliability("security", "fake credential from an env var: scanned output, logs, files, raw, marts",
                survived=not places and FAKE_SECRET in sent,
                detail=f"{len(files)} files and every text column scanned; found in: {places or 'nowhere'}")
    assert sent and all(value == FAKE_SECRET for value in sent), "the credential did go out, in its header"
    assert "/statements.json?<redacted>" in refused, refused
    assert places == [], f"the fake secret leaked into: {places}"
    assert tables_containing(paths.marts, "main", "KGZ-2020-PARL"), "the scan finds what is there"


def _self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class _Feed(BaseHTTPRequestHandler):
    def log_message(self, *_args) -> None:
        return

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ELECTIONS_BODY)))
        self.end_headers()
        self.wfile.write(ELECTIONS_BODY)


class _TLSServer(ThreadingHTTPServer):
    """HTTPS on 127.0.0.1 that counts the connections it accepts (a retry is a new connection)."""

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _Feed)
        self.context = context
        self.connections = 0

    def get_request(self):
        sock, address = self.socket.accept()
        self.connections += 1
        return self.context.wrap_socket(sock, server_side=True), address


def test_tls_verification_stays_on_for_a_self_signed_certificate(tmp_path, monkeypatch, reliability):
    cert, key = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = _TLSServer(context)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"https://127.0.0.1:{server.server_address[1]}/elections.json"
    monkeypatch.setenv("ECW_REGISTRY", str(write_registry(tmp_path / "sources.yml",
                                                          {"cec_elections": {"url": url, "allowed_schemes": ["https"]}})))
    data = tmp_path / "data"
    monkeypatch.setenv("ECW_DATA_DIR", str(data))
    try:
        with pytest.raises(FetchError) as refused:
            extract_one("cec_elections", NIGHT_DATE)
        attempts = server.connections
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # trusting that certificate, and only then
        trusted = extract_one("cec_elections", NIGHT_DATE)
    finally:
        server.shutdown()
        server.server_close()
    message = str(refused.value)
    reliability("security", "https publisher with a self-signed certificate", survived=(
        "failed verification" in message and attempts == 1 and trusted["http_status"] == 200),
        detail=message[:160])
    assert message.startswith("source cec_elections: TLS certificate of https://127.0.0.1:") and \
        "CERTIFICATE_VERIFY_FAILED" in message, message
    assert attempts == 1, f"a certificate that fails verification is not retried ({attempts} connections)"
    assert trusted["http_status"] == 200, "the same server is fetched once its certificate is trusted"


def test_credential_is_not_forwarded_when_a_redirect_changes_host(tmp_path, monkeypatch, reliability):
    monkeypatch.setenv("ECW_TEST_SECRET", FAKE_SECRET)
    with FaultServer() as server:
        target = f"http://localhost:{server.httpd.server_address[1]}/moved.json"
        url = server.script("/elections.json", Reply(302, headers={"Location": target}))
        server.script("/moved.json", Reply(200, ELECTIONS_BODY, headers={"Content-Type": "application/json"}))
        monkeypatch.setenv("ECW_REGISTRY", str(write_registry(tmp_path / "sources.yml", {"cec_elections": {
            "url": url, "redirect_hosts": ["localhost"],
            "auth": {"header": "Authorization", "env": "ECW_TEST_SECRET"}}})))
        outcome = extract_one("cec_elections", NIGHT_DATE, Paths(tmp_path / "data"))
        by_host = {h["Host"].split(":")[0]: h.get("Authorization") for h in server.request_headers}
    reliability("security", "redirect to another (allowed) host: credential not forwarded",
                survived=by_host == {"127.0.0.1": FAKE_SECRET, "localhost": None}, detail=str(sorted(by_host)))
    assert outcome["http_status"] == 200
    assert by_host == {"127.0.0.1": FAKE_SECRET, "localhost": None}, by_host


@pytest.mark.parametrize("bad_id", ["../../etc", "x; drop table raw.elections"])
def test_identifier_that_could_escape_is_refused_before_any_path_or_sql(bad_id, tmp_path, reliability):
    paths = Paths(tmp_path / "data")
    paths.data_dir.mkdir()
    with pytest.raises(RegistryError) as refused:
        extract_one(bad_id, NIGHT_DATE, paths)
    written = [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p != paths.data_dir]
    reliability("security", f"source id {bad_id!r} from configuration", survived=not written,
                detail=str(refused.value)[:120])
    assert f"source id {bad_id!r} is not a valid identifier" in str(refused.value)
    assert written == [], f"files written for a refused id: {written}"


WRITES = ["delete from fct_annulments", "update dim_country set country_name = 'x'",
          "create table scratch as select 1 as x", "insert into dim_country select * from dim_country",
          "select 1; drop table election_crises"]


def test_ecw_query_refuses_writes_and_changes_nothing(work, capsys, monkeypatch, reliability):
    monkeypatch.setenv("ECW_DATA_DIR", str(work.data_dir))
    before, stamp = marts_digest(work.marts), work.marts.stat().st_mtime_ns
    outcomes = []
    for statement in WRITES:
        code = ecw(["query", statement])
        outcomes.append((statement, code, capsys.readouterr().err))
    after = marts_digest(work.marts)
    refused = [s for s, code, err in outcomes if code == 2 and "read-only" in err]
    reliability("security", "write statements through `ecw query`", injected=len(WRITES),
                survived=len(refused) == len(WRITES) and after == before, consistent=after == before)
    for statement, code, err in outcomes:
        assert code == 2 and "the published marts are read-only" in err, (statement, code, err)
    assert after == before and work.marts.stat().st_mtime_ns == stamp
    assert query(work.marts, "select count(*) from election_crises") == [(15,)]


def test_ecw_query_cannot_touch_files_or_reenable_access(work, tmp_path, capsys, monkeypatch, reliability):
    """Read-only protects the marts, not the machine: a query may not write a file, read a local
    file, attach another database or switch external access back on."""
    monkeypatch.setenv("ECW_DATA_DIR", str(work.data_dir))
    outside = tmp_path / "outside-the-marts"
    outside.mkdir()
    local = outside / "local-secret.csv"
    local.write_text("name,value\nsynthetic,1\n", encoding="utf-8")
    written = outside / "exfiltrated.csv"
    attempts = {
        "copy to a file": f"copy (select * from dim_country) to '{written}'",
        "read_text of a local file": f"select * from read_text('{local}')",
        "read_csv of a local file": f"select * from read_csv('{local}')",
        "attach another database": f"attach '{outside / 'other.duckdb'}' as other",
        "re-enable external access": "set enable_external_access = true",
        "unlock the configuration": "set lock_configuration = false",
    }
    outcomes = {}
    for what, statement in attempts.items():
        code = ecw(["query", statement])
        outcomes[what] = (code, capsys.readouterr().err)
    created = sorted(p.name for p in outside.iterdir() if p != local)
    refused = [what for what, (code, err) in outcomes.items() if code == 2]
    reliability("security", "file access and settings through `ecw query`", injected=len(attempts),
                survived=len(refused) == len(attempts) and not created, detail=f"files created: {created or 'none'}")
    for what, (code, err) in outcomes.items():
        assert code == 2, (what, code, err)
        assert "Traceback" not in err and err.startswith("ecw query: "), (what, err)
    for what in ("copy to a file", "read_text of a local file", "read_csv of a local file", "attach another database"):
        assert "queries may read the published marts only" in outcomes[what][1], outcomes[what]
    for what in ("re-enable external access", "unlock the configuration"):
        assert "settings cannot be changed" in outcomes[what][1], outcomes[what]
    assert created == [], f"a refused query left files behind: {created}"
    assert ecw(["query", "select count(*) as crises from election_crises"]) == 0
    assert "15" in capsys.readouterr().out
