"""Submitting from the web app (`citykg serve --allow-submit --token-file FILE`): anyone can
check a submission and sees its problems with their line, field and did-you-mean, then the
changes against the stored version; only the holder of the operator's token commits, through
the CLI's atomic submit, and the server then answers from the new generation. Refused, and the
store left as it was: a wrong or missing token, a form from another site or without its
anti-forgery token, an upload over the limit, and nothing an upload names is ever read."""

from __future__ import annotations

import html
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from _submit_support import HELSINKI, generations, variant
from citykg import Store
from citykg.cli import cli
from citykg.errors import InputError
from citykg.store.generations import live_generation
from serve_support import Running, running

ROOT = Path(__file__).resolve().parents[1]
AMSTERDAM = ROOT / "data" / "submissions" / "amsterdam-2018.yaml"
TOKEN = "a-token-of-the-operator-0123456789"
TEAM = "id/profile/finland/helsinki/2020/team/economic-development"
STAFF_COUNT = "<https://w3id.org/citykg/ontology#staffCount> "
TYPO = ("Improve internal government operations", "Improve internal goverment operations")


@pytest.fixture(scope="module")
def token_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("token") / "token"
    path.write_text(TOKEN + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def helsinki_store(folder: Path) -> Path:
    location = folder / "store"
    Store(location).build([HELSINKI])
    return location


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with Helsinki's submission: no test of this module may change it (only
    test_a_commit_with_the_token... commits, into its own store)."""
    return helsinki_store(tmp_path_factory.mktemp("serve-submit"))


@pytest.fixture(scope="module")
def server(store: Path, token_file: Path) -> Iterator[Running]:
    with running(store, allow_submit=True, token_file=token_file) as started:
        yield started


@contextmanager
def browser_client(server: Running) -> Iterator[httpx.Client]:
    """A client that behaves as a browser on the form: it opened /submit (the cookie) and sends
    the form from there (Origin)."""
    with httpx.Client(base_url=server.url, timeout=120, headers={"Origin": server.url.rstrip("/")}) as client:
        client.csrf = form_token(client.get("submit").text)  # type: ignore[attr-defined]
        yield client


@pytest.fixture
def client(server: Running) -> Iterator[httpx.Client]:
    with browser_client(server) as http:
        yield http


def form_token(page: str) -> str:
    marker = 'name="csrf" value="'
    return page[page.index(marker) + len(marker) :].split('"', 1)[0]


def send(
    client: httpx.Client,
    *,
    file: tuple[str, bytes] | None = None,
    text: str | None = None,
    fmt: str = "yaml",
    action: str = "check",
    token: str | None = None,
    csrf: str | None = None,
) -> httpx.Response:
    data = {"csrf": client.csrf if csrf is None else csrf, "action": action, "format": fmt}  # type: ignore[attr-defined]
    if text is not None:
        data["text"] = text
    if token is not None:
        data["token"] = token
    files = {"file": (file[0], file[1], "application/octet-stream")} if file else {"file": ("", b"")}
    return client.post("submit", data=data, files=files)


def shown(answer: httpx.Response) -> str:
    """The text of a page as a reader sees it (entities unescaped)."""
    return html.unescape(answer.text)


def state(store: Path) -> tuple[Path | None, list[str], list[str]]:
    """What a user could tell changed: the live generation, the generations, the history."""
    history = (
        sorted(str(p.relative_to(store)) for p in (store / "history").rglob("*"))
        if (store / "history").exists()
        else []
    )
    return live_generation(store), generations(store), history


def test_submitting_is_off_unless_the_operator_turns_it_on(store: Path) -> None:
    with running(store) as plain, httpx.Client(base_url=plain.url, timeout=60) as http:
        page, post = http.get("submit"), http.post("submit", data={"text": "x"})
        resource = http.get("id/city/finland/helsinki", headers={"Accept": "text/html"})
    for refused in (page, post):
        assert refused.status_code == 404
        assert "submitting is not turned on" in refused.text and "--allow-submit" in refused.text
    assert resource.status_code == 200 and "submit" not in resource.text.split("</nav>")[0]


def test_the_form_is_in_the_nav_and_sets_a_strict_cookie(server: Running) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        page = http.get("submit")
    assert page.status_code == 200
    nav = page.text.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert f'href="{server.url}submit"' in nav
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert 'type="file"' in page.text and "<textarea" in page.text and 'type="password"' in page.text


def test_a_typo_in_a_goal_is_named_with_its_line_field_and_suggestion(
    store: Path, client: httpx.Client, tmp_path: Path
) -> None:
    before = state(store)
    typo = variant(HELSINKI, tmp_path / "helsinki-typo.yaml", TYPO).read_bytes()
    line = typo.decode().splitlines().index("  - Improve internal goverment operations") + 1
    answer = send(client, file=("helsinki-typo.yaml", typo))
    assert answer.status_code == 422
    row = answer.text.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert f"<td>{line}</td>" in row and "<code>goals[1]</code>" in row
    assert "(did you mean 'Improve internal government operations'?)" in html.unescape(row)
    assert f"helsinki-typo.yaml:{line}:" in row
    assert "Nothing was committed" in answer.text
    assert state(store) == before


def test_a_pasted_resubmission_shows_its_changes_against_the_stored_version(
    store: Path, client: httpx.Client
) -> None:
    before = state(store)
    text = HELSINKI.read_text(encoding="utf-8").replace(
        "Economic Development, location: Mayor's Office, staff: 25",
        "Economic Development, location: Mayor's Office, staff: 31",
    )
    answer = send(client, text=text, fmt="yaml")
    assert answer.status_code == 200, answer.text
    assert "Ready to commit" in answer.text and "A resubmission: it replaces the version built" in answer.text
    changes = answer.text.split('class="changes"', 1)[1].split("</table>", 1)[0]
    assert (
        "<td>changed</td><td><code>teams[Economic Development].staff</code></td><td>25</td><td>31</td>"
        in changes
    )
    assert "staff: 31" in answer.text  # the pasted text is kept in the box, to fix and send again
    assert state(store) == before


def test_a_profile_page_is_checked_as_the_cli_checks_it(store: Path, client: httpx.Client) -> None:
    page = ROOT / "data" / "profiles" / "helsinki.txt"
    cli_run = CliRunner().invoke(cli, ["submit", "--dry-run", "-f", "json", str(page), "--store", str(store)])
    [expected] = json.loads(cli_run.stdout)["submissions"]
    answer = send(client, file=("helsinki.txt", page.read_bytes()))
    assert answer.status_code == 200 and "Ready to commit" in answer.text
    assert expected["problems"] and expected["changes"] == []
    assert "No changes: the store already holds these facts." in answer.text
    rows = html.unescape(answer.text.split('class="problems"', 1)[1].split("</table>", 1)[0])
    for problem in expected["problems"]:
        line = problem["where"].split(":")[-2]
        assert f"<td>{line}</td><td><code>{problem['field']}</code></td>" in rows
        assert f"{problem['severity']}</strong>: '{problem['value']}' {problem['message']}" in rows


@pytest.mark.parametrize("token", [None, "", "a-token-of-the-operator-012345678", TOKEN + "x"])
def test_a_commit_without_the_token_is_refused_and_writes_nothing(
    store: Path, client: httpx.Client, token: str | None
) -> None:
    before = state(store)
    answer = send(client, file=("amsterdam-2018.yaml", AMSTERDAM.read_bytes()), action="commit", token=token)
    assert answer.status_code == 403
    assert "not committed: the operator's token is missing or wrong; nothing was written" in shown(answer)
    assert state(store) == before
    assert "Amsterdam" not in client.get("queries/surveyed-cities", headers={"Accept": "text/csv"}).text


def test_a_commit_with_the_token_lands_and_the_server_answers_from_it(
    tmp_path: Path, token_file: Path
) -> None:
    store = helsinki_store(tmp_path)
    with running(store, allow_submit=True, token_file=token_file) as served, browser_client(served) as client:
        csv = {"Accept": "text/csv"}
        staff_before = client.get("queries/innovation-staff", headers=csv).text  # cached now
        described = client.get(TEAM, headers={"Accept": "application/n-triples"}).text
        text = HELSINKI.read_text(encoding="utf-8").replace("staff: 25", "staff: 31")
        answer = send(client, text=text, action="commit", token=TOKEN)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"{served.url}cities/finland/helsinki/history?committed=1"
        history = client.get(answer.headers["location"])
        staff_after = client.get("queries/innovation-staff", headers=csv).text
        described_after = client.get(TEAM, headers={"Accept": "application/n-triples"}).text
    assert history.status_code == 200
    assert "Committed: version 2 of the 2020 wave is now the current one." in history.text
    rows = history.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    assert "<td>1</td><td>2020</td>" in rows[0] and "superseded" in rows[0]
    assert "<td>2</td><td>2020</td>" in rows[1] and "current" in rows[1] and "pasted.yaml" in rows[1]
    assert "Helsinki,2020,2,45" in staff_before.replace("\r", "")
    assert "Helsinki,2020,2,51" in staff_after.replace("\r", "")
    assert STAFF_COUNT + '"25"' in described and STAFF_COUNT + '"31"' in described_after
    assert [v.number for v in Store(store).history("Helsinki")] == [1, 2]


def test_a_form_from_another_site_or_without_its_token_is_refused(
    store: Path, server: Running, client: httpx.Client
) -> None:
    before = state(store)
    good = ("helsinki-2020.yaml", HELSINKI.read_bytes())
    forged = send(client, file=good, csrf="0" * 64)
    client.headers["Origin"] = "https://attacker.example"
    elsewhere = send(client, file=good)
    del client.headers["Origin"]
    nowhere = send(client, file=good)
    client.headers["Referer"] = server.url + "submit"
    from_the_page = send(client, file=good)
    with httpx.Client(base_url=server.url, timeout=60, headers={"Origin": server.url.rstrip("/")}) as fresh:
        no_cookie = send(fresh, file=good, csrf=client.csrf)  # type: ignore[attr-defined]
    assert forged.status_code == 403 and "anti-forgery token" in forged.text
    assert elsewhere.status_code == 403 and "https://attacker.example" in elsewhere.text
    assert nowhere.status_code == 403 and "no Origin or Referer" in nowhere.text
    assert no_cookie.status_code == 403 and "anti-forgery token" in no_cookie.text
    assert from_the_page.status_code == 200 and "Ready to commit" in from_the_page.text
    assert state(store) == before


def test_an_upload_over_the_limit_is_refused_before_it_is_read(store: Path, token_file: Path) -> None:
    with (
        running(store, allow_submit=True, token_file=token_file, max_upload=2000) as served,
        browser_client(served) as client,
    ):
        declared = send(client, file=("big.yaml", b"#" * 50_000))

        def chunks() -> Iterator[bytes]:
            for _ in range(100):
                yield b"x" * 1000

        streamed = client.post(
            "submit", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=b"}
        )
        just_over = send(client, file=("big.yaml", b"#" * 2001))
    for refused in (declared, streamed):
        assert refused.status_code == 413
        assert "the upload is larger than this server takes (2,000 bytes)" in refused.text
    assert just_over.status_code == 413


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A loopback HTTP address that records every connection made to it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            seen.append(conn.recv(1000))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/", seen
    stop.set()
    thread.join(5)
    server.close()


def test_nothing_an_upload_names_is_read_or_fetched(
    store: Path, client: httpx.Client, tmp_path: Path, listener: tuple[str, list[bytes]]
) -> None:
    url, seen = listener
    secret = tmp_path / "secret.yaml"
    secret.write_text(
        HELSINKI.read_text(encoding="utf-8").replace("Helsinki", "Secretville"), encoding="utf-8"
    )
    before = state(store)
    # an upload named as a readable local file: its own (empty) bytes are checked, not the file's
    named = send(client, file=(str(secret), b""))
    # a JSON-LD submission whose context is a local file, or a URL
    contexts = [
        send(client, text=json.dumps({"@context": where, "@id": url + "x", "name": "x"}), fmt="jsonld")
        for where in (secret.as_uri(), url + "context.jsonld")
    ]
    # a YAML document that names the file and the URL as values; one that tries a YAML tag
    yaml_text = HELSINKI.read_text(encoding="utf-8").replace("Helsinki", str(secret), 1)
    valued = send(client, text=yaml_text + f"\nwebsite: {url}\n", fmt="yaml")
    tagged = send(client, text=yaml_text + f"\nsource: !include {secret}\n", fmt="yaml")
    turtle = send(client, text=f"@prefix x: <{url}> .\n<{url}a> x:b <{secret.as_uri()}> .\n", fmt="turtle")
    assert named.status_code == 422 and "the file is empty" in named.text and "secret.yaml" in named.text
    for refused in contexts:
        assert refused.status_code == 422 and "must be citykg's own context" in shown(refused)
    assert valued.status_code == 422 and "website" in valued.text  # not a field, not fetched
    assert tagged.status_code == 422 and "YAML tag '!include' is not allowed" in shown(tagged)
    assert turtle.status_code == 422 and "are not accepted" in turtle.text
    for answer in (named, *contexts, valued, tagged, turtle):
        assert "Secretville" not in answer.text
    assert seen == []
    assert state(store) == before


def test_the_token_file_must_be_private_and_hold_a_token(store: Path, tmp_path: Path) -> None:
    def start(path: Path) -> InputError:
        with pytest.raises(InputError) as caught:
            Store(store).app(Store(store).server(allow_submit=True, token_file=path))
        return caught.value

    public = tmp_path / "public"
    public.write_text(TOKEN, encoding="utf-8")
    public.chmod(0o644)
    empty = tmp_path / "empty"
    empty.write_text("\n", encoding="utf-8")
    empty.chmod(0o600)
    short = tmp_path / "short"
    short.write_text("secret", encoding="utf-8")
    short.chmod(0o600)
    assert (
        "every user of this machine" in start(public).message and start(public).hint == f"chmod 600 {public}"
    )
    assert start(empty).message == "the token file is empty"
    assert "at least 16 are needed" in start(short).message
    assert "cannot read the token file" in start(tmp_path / "missing").message
    with pytest.raises(InputError, match="go together"):
        Store(store).server(allow_submit=True)
    with pytest.raises(InputError, match="go together"):
        Store(store).server(token_file=public)


def test_the_serve_command_refuses_a_token_file_others_can_read_before_it_listens(
    store: Path, tmp_path: Path
) -> None:
    public = tmp_path / "token"
    public.write_text(TOKEN, encoding="utf-8")
    public.chmod(0o644)
    port = ["--store", str(store), "--port", "0"]
    readable = CliRunner().invoke(cli, ["serve", *port, "--allow-submit", "--token-file", str(public)])
    alone = CliRunner().invoke(cli, ["serve", *port, "--allow-submit"])
    everywhere = CliRunner().invoke(
        cli, ["serve", *port, "--host", "0.0.0.0", "--allow-submit", "--token-file", str(public)]
    )
    assert readable.exit_code == 2
    assert "can be read or written by every user of this machine" in readable.stderr
    assert f"chmod 600 {public}" in readable.stderr and "serving" not in readable.stderr
    assert alone.exit_code == 2 and "--allow-submit and --token-file go together" in alone.stderr
    assert everywhere.exit_code == 2 and "give --base-url" in everywhere.stderr
