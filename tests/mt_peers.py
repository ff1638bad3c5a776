"""Local HTTP peers that speak the documented wire formats of LibreTranslate and
eTranslation, on loopback sockets, so that the providers' real HTTP code is tested.

LibreTranslate: https://docs.libretranslate.com/guides/api_usage (POST /translate,
`format` "text" or "html": markup is parsed, its tags kept in place and its text
translated, an empty element written back as `<t ...></t>` and the whole answer
unescaped, as LibreTranslate 1.9.6 does with BeautifulSoup's html.parser; GET /languages; files: GET /frontend/settings names the `supportedFilesFormat`, POST
/translate_file takes a multipart `file` with `source`, `target` and `api_key` and answers
`{"translatedFileUrl": ".../download_file/<name>"}`, fetched with a GET). eTranslation:
JSON POST with HTTP Digest authentication, a request id (or a negative error code) in
reply, and the translation posted back later, form-encoded, to the caller's
`requesterCallback` (errors to `errorCallback`); a document goes as
`documentToTranslateBase64` (`content`, `format`, `fileName`) and comes back to the
caller's `destinations.httpDestinations`, multipart, its file beside `request-id`,
`target-language` and `external-reference`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from html.parser import HTMLParser

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from app.reference import LANGUAGES


class Peer:
    """A WSGI app served on 127.0.0.1 in a thread."""

    def __init__(self) -> None:
        self.server = make_server("127.0.0.1", 0, self, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.calls: list[dict] = []
        self.mode = "ok"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> Peer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    def __call__(self, environ, start_response):
        return self.handle(Request(environ))(environ, start_response)

    def handle(self, request: Request) -> Response:  # pragma: no cover - overridden
        raise NotImplementedError


def _json(value, status: int = 200) -> Response:
    return Response(json.dumps(value), status=status, mimetype="application/json")


class FakeLibreTranslate(Peer):
    """Translates every pair of the interface languages except into and out of Irish, by
    prefixing the target language: `[de] text`. Modes: ok, hostile, 429, 500, slow,
    no-files (file translation switched off)."""

    api_key = "libre-key"
    missing = "ga"

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, bytes] = {}

    def handle(self, request: Request) -> Response:
        if request.method == "GET" and request.path == "/languages":
            codes = [c for c in LANGUAGES if c != self.missing]
            return _json(
                [{"code": c, "name": c, "targets": [t for t in codes if t != c]} for c in codes]
            )
        if request.method == "POST" and request.path == "/translate":
            body = request.get_json(silent=True) or {}
            self.calls.append(body)
            if body.get("api_key") != self.api_key:
                return _json({"error": "Invalid API key"}, 403)
            if self.mode == "429":
                return _json({"error": "Too many requests"}, 429)
            if self.mode == "500":
                return _json({"error": "Internal error"}, 500)
            if self.mode == "slow":
                time.sleep(2)
            if not body.get("q"):
                return _json({"error": "Invalid request: missing q parameter"}, 400)
            if body.get("format") not in ("text", "html"):
                return _json({"error": f"{body.get('format')} format is not supported"}, 400)
            if self.missing in (body.get("source"), body.get("target")):
                return _json({"error": f"{self.missing} is not supported"}, 400)
            if self.mode == "hostile":
                return _json({"translatedText": '<script>alert("mt")</script><img src=x>'})
            text = _Markup.written_back(body["q"]) if body["format"] == "html" else body["q"]
            return _json({"translatedText": f"[{body['target']}] {text}"})
        if request.method == "GET" and request.path == "/frontend/settings":
            files = self.mode != "no-files"
            return _json(
                {
                    "charLimit": -1,
                    "filesTranslation": files,
                    "supportedFilesFormat": self.formats if files else [],
                    "keyRequired": True,
                }
            )
        if request.method == "POST" and request.path == "/translate_file":
            return self._translate_file(request)
        if request.method == "GET" and request.path.startswith("/download_file/"):
            name = request.path.removeprefix("/download_file/")
            if name not in self.files:
                return _json({"error": "Invalid filename"}, 400)
            return Response(self.files[name], mimetype="application/octet-stream")
        return Response("not found", status=404)

    # The formats a LibreTranslate server with argos-translate-files lists by default.
    formats = [".txt", ".odt", ".odp", ".docx", ".pptx", ".epub", ".html"]

    def _translate_file(self, request: Request) -> Response:
        """A text file comes back with each line prefixed by `[target] `; another type
        comes back as it was (still a file of that type)."""
        form, upload = request.form, request.files.get("file")
        self.calls.append({**form, "file": upload.filename if upload else None})
        if form.get("api_key") != self.api_key:
            return _json({"error": "Invalid API key"}, 403)
        if self.mode in ("429", "500"):
            return _json({"error": "Unavailable"}, int(self.mode))
        for name in ("source", "target"):
            if not form.get(name):
                return _json({"error": f"Invalid request: missing {name} parameter"}, 400)
        if upload is None:
            return _json({"error": "Invalid request: missing file parameter"}, 400)
        extension = "." + upload.filename.rsplit(".", 1)[-1].lower()
        if extension not in self.formats:
            return _json({"error": "Invalid request: file format not supported"}, 400)
        if self.missing in (form["source"], form["target"]):
            return _json({"error": f"{self.missing} is not supported"}, 400)
        data = upload.read()
        if extension == ".txt":
            lines = data.decode().splitlines(keepends=True)
            data = "".join(f"[{form['target']}] {line}" for line in lines).encode()
        name = f"{secrets.token_hex(8)}.{upload.filename}"
        self.files[name] = data
        # The server names itself as the request reached it (here: another host name).
        return _json({"translatedFileUrl": f"http://localhost:1/download_file/{name}"})


class _Markup(HTMLParser):
    """HTML as LibreTranslate writes it back: tags in place (an empty element as
    `<t ...></t>`), text unescaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    @staticmethod
    def _attrs(attrs) -> str:
        return "".join(f' {name}="{value}"' for name, value in attrs)

    def handle_starttag(self, tag, attrs) -> None:
        self.out.append(f"<{tag}{self._attrs(attrs)}>")

    def handle_startendtag(self, tag, attrs) -> None:
        self.out.append(f"<{tag}{self._attrs(attrs)}></{tag}>")

    def handle_endtag(self, tag) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data) -> None:
        self.out.append(data)

    @classmethod
    def written_back(cls, markup: str) -> str:
        parser = cls()
        parser.feed(markup)
        parser.close()
        return "".join(parser.out)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - HTTP Digest is MD5


class FakeETranslation(Peer):
    """eTranslation's snippet service: Digest-authenticated JSON in, a request id out,
    the translation posted back to the caller a moment later. Modes: ok, error
    (the error callback is called), negative (a negative code is returned at once),
    at-once (the translation is posted back before the request id is answered: the
    callback reaches the caller while it still waits for the id)."""

    realm = "eTranslation"
    application = "OpenIMI-test"
    password = "etranslation-secret"

    def __init__(self) -> None:
        super().__init__()
        self.nonces: set[str] = set()
        self.callbacks: list[requests.Response] = []
        self.callback_errors: list[str] = []
        self.next_id = 1000

    def _challenge(self) -> Response:
        nonce = secrets.token_hex(16)
        self.nonces.add(nonce)
        response = Response("Unauthorized", status=401)
        response.headers["WWW-Authenticate"] = (
            f'Digest realm="{self.realm}", qop="auth", nonce="{nonce}", algorithm=MD5'
        )
        return response

    def _authorized(self, request: Request) -> bool:
        auth = request.authorization
        if auth is None or auth.type != "digest" or auth.get("nonce") not in self.nonces:
            return False
        if auth.username != self.application:
            return False
        ha1 = _md5(f"{auth.username}:{self.realm}:{self.password}")
        ha2 = _md5(f"{request.method}:{auth.get('uri')}")
        expected = _md5(
            f"{ha1}:{auth['nonce']}:{auth.get('nc')}:{auth.get('cnonce')}:{auth.get('qop')}:{ha2}"
        )
        return secrets.compare_digest(expected, auth.get("response", ""))

    def handle(self, request: Request) -> Response:
        if request.method != "POST":
            return Response("not found", status=404)
        if not self._authorized(request):
            return self._challenge()
        body = request.get_json(silent=True) or {}
        self.calls.append(body)
        if "documentToTranslateBase64" in body:
            return self._document(body)
        needed = ("sourceLanguage", "targetLanguages", "textToTranslate", "requesterCallback")
        if any(not body.get(k) for k in needed) or len(body["textToTranslate"]) > 5000:
            return Response("-20028", mimetype="text/plain")
        if self.mode == "negative":
            return Response("-20001", mimetype="text/plain")
        self.next_id += 1
        request_id = str(self.next_id)
        if self.mode == "at-once":
            self._call_back(body, request_id, delay=0)
        else:
            threading.Thread(target=self._call_back, args=(body, request_id), daemon=True).start()
        return Response(request_id, mimetype="text/plain")

    def _document(self, body: dict) -> Response:
        document = body["documentToTranslateBase64"] or {}
        destinations = (body.get("destinations") or {}).get("httpDestinations") or []
        try:
            content = base64.b64decode(document.get("content", ""), validate=True)
        except ValueError:
            content = b""
        if not (body.get("sourceLanguage") and body.get("targetLanguages") and destinations):
            return Response("-20028", mimetype="text/plain")
        if not content or document.get("format") not in self.formats:
            return Response("-20029", mimetype="text/plain")
        if self.mode == "negative":
            return Response("-20001", mimetype="text/plain")
        self.next_id += 1
        request_id = str(self.next_id)
        if self.mode == "at-once":
            self._send_document(body, content, request_id, delay=0)
        else:
            threading.Thread(
                target=self._send_document, args=(body, content, request_id), daemon=True
            ).start()
        return Response(request_id, mimetype="text/plain")

    # The document formats eTranslation takes (of those attachments may be).
    formats = ("txt", "pdf", "docx", "xlsx", "odt", "ods")

    def _send_document(
        self, body: dict, content: bytes, request_id: str, delay: float = 0.2
    ) -> None:
        """A text file comes back with each line prefixed by `[target] `; another type
        as it was."""
        time.sleep(delay)
        target = body["targetLanguages"][0]
        extension = body["documentToTranslateBase64"]["format"]
        if self.mode == "error":
            self._post(
                body["errorCallback"],
                data={
                    "request-id": request_id,
                    "target-languages": target,
                    "error-code": "-20025",
                    "error-message": "No translation engine for this pair",
                    "external-reference": body.get("externalReference", ""),
                },
            )
            return
        if extension == "txt":
            lines = content.decode().splitlines(keepends=True)
            content = "".join(f"[{target.lower()}] {line}" for line in lines).encode()
        self._post(
            body["destinations"]["httpDestinations"][0],
            data={
                "request-id": request_id,
                "target-language": target,
                "external-reference": body.get("externalReference", ""),
            },
            files={"file": (f"document_{target}.{extension}", content)},
        )

    def _post(self, url: str, **kwargs) -> None:
        try:
            self.callbacks.append(requests.post(url, timeout=10, **kwargs))
        except requests.RequestException as error:  # the caller is gone: note it
            self.callback_errors.append(str(error))

    def _call_back(self, body: dict, request_id: str, delay: float = 0.2) -> None:
        time.sleep(delay)
        target = body["targetLanguages"][0]
        if self.mode == "error":
            url = body["errorCallback"]
            form = {
                "request-id": request_id,
                "target-languages": target,
                "error-code": "-20025",
                "error-message": "No translation engine for this pair",
                "external-reference": body.get("externalReference", ""),
            }
        else:
            url = body["requesterCallback"]
            form = {
                "request-id": request_id,
                "target-language": target,
                "translated-text": f"[{target.lower()}] {body['textToTranslate']}",
                "external-reference": body.get("externalReference", ""),
            }
        try:
            self.callbacks.append(requests.post(url, data=form, timeout=10))
        except requests.RequestException as error:  # the caller is gone: note it, as a server would
            self.callback_errors.append(str(error))


class AppServer:
    """The app itself on a real socket, for the engines that call it back."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
