"""`make observatory`: grade the site with the MDN HTTP Observatory scanner, offline.

Installs the scanner (npm, once, into the data folder), makes a throw-away test CA and a
certificate for 127.0.0.1, starts gunicorn over HTTPS with production settings
(DJANGO_HTTPS=true) on OBSERVATORY_PORT, scans a few pages and fails unless every grade is
A+ (issue 6). The database is the one in DJANGO_DATA_DIR (`make prepare` fills it).
The scanner only scores the HTTPS port; the HTTP→HTTPS redirect has a test of its own
(tests/news/operations/test_headers.py).
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DJANGO_DATA_DIR", BASE_DIR / "var"))
WORK = DATA_DIR / "observatory"
PACKAGE = "@mdn/mdn-http-observatory@1.4.8"  # the last release for Node 20
SCANNER = WORK / "node_modules" / "@mdn" / "mdn-http-observatory"
PORT = int(os.environ.get("OBSERVATORY_PORT", 8443))
PAGES = ["/en/", "/zh-hans/", "/en/search/?q=investment", f"/{os.environ.get('DJANGO_ADMIN_URL', 'admin/')}login/"]


def run(*command, **kwargs):
    subprocess.run(command, check=True, **kwargs)


def install_scanner():
    if not (SCANNER / "src" / "scan.js").exists():
        WORK.mkdir(parents=True, exist_ok=True)
        # --ignore-scripts: the install scripts download lists from the internet.
        run("npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(WORK), PACKAGE)
    preload = SCANNER / "conf" / "hsts-preload.json"
    if not preload.exists():
        preload.write_text("{}")


def make_certificate():
    if (WORK / "server.pem").exists():
        return
    ssl = ("openssl",)
    run(*ssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Portal test CA",
        "-keyout", str(WORK / "ca.key"), "-out", str(WORK / "ca.pem"),
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        capture_output=True)  # fmt: skip
    run(*ssl, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", str(WORK / "server.key"), "-out", str(WORK / "server.csr"), capture_output=True)  # fmt: skip
    (WORK / "ext.cnf").write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
    )
    run(*ssl, "x509", "-req", "-in", str(WORK / "server.csr"), "-CA", str(WORK / "ca.pem"),
        "-CAkey", str(WORK / "ca.key"), "-CAcreateserial", "-days", "30", "-extfile", str(WORK / "ext.cnf"),
        "-out", str(WORK / "server.pem"), capture_output=True)  # fmt: skip


def start_server():
    environment = {**os.environ, "DJANGO_HTTPS": "true", "DJANGO_DEBUG": "false"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--certfile", str(WORK / "server.pem"), "--keyfile", str(WORK / "server.key")],
        cwd=BASE_DIR, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    import ssl

    context = ssl.create_default_context(cafile=str(WORK / "ca.pem"))
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"https://127.0.0.1:{PORT}/healthz", context=context, timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start over HTTPS")


def scan(page):
    environment = {**os.environ, "NODE_EXTRA_CA_CERTS": str(WORK / "ca.pem")}
    result = subprocess.run(
        ["node", str(SCANNER / "src" / "scan.js"), f"127.0.0.1:{PORT}{page}"],
        env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    report = json.loads(result.stdout)
    if report.get("error"):
        raise SystemExit(f"{page}: {report['error']}")
    return report


def main():
    install_scanner()
    make_certificate()
    server = start_server()
    failed = False
    try:
        for page in PAGES:
            report = scan(page)
            grade, score = report["scan"]["grade"], report["scan"]["score"]
            failing = [name for name, test in report["tests"].items() if not test["pass"]]
            print(f"{page}: {grade} ({score}/100){' failing: ' + ', '.join(failing) if failing else ''}")
            failed |= grade != "A+"
    finally:
        server.terminate()
        server.wait(10)
    if failed:
        raise SystemExit("Not every page grades A+.")


if __name__ == "__main__":
    main()
