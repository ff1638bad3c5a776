"""The engines' document APIs through their real wire formats: the real Apertium APy's
/translateDoc, and local peers speaking LibreTranslate's /translate_file and
eTranslation's document requests."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest

from app.translation import mt
from tests.mt_peers import FakeETranslation, FakeLibreTranslate

TXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
FRENCH = "Le chat est sur la table.\nLes autorités compétentes confirment.\n"


def docx(text: str) -> bytes:
    """A minimal word-processor file holding one paragraph."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
        'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        f"<w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


@pytest.fixture
def libre():
    peer = FakeLibreTranslate().start()
    yield peer
    peer.stop()


# --- Apertium (real APy) ----------------------------------------------------------------


def test_apertium_translates_a_text_file_and_a_word_file(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    assert mt.translates_documents(engine, DOCX) and not mt.translates_documents(engine, PDF)
    text = engine.translate_document(mt.Document(FRENCH.encode(), TXT), "fr", "es")
    assert "gato" in text.data.decode() and "autoridades" in text.data.decode()
    assert (text.content_type, text.version) == (TXT, "fr>es")
    word = engine.translate_document(
        mt.Document(docx("Le chat est sur la table."), DOCX), "fr", "es"
    )
    assert word.data[:2] == b"PK" and "gato" in docx_text(word.data)


def test_apertium_takes_a_file_along_a_pivot_route(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    # no French-English pair in Debian: French > Spanish > English, file after file
    result = engine.translate_document(mt.Document(b"Le chat est sur la table.", TXT), "fr", "en")
    assert result.version == "fr>es>en" and "cat" in result.data.decode().lower()


def test_apertium_refuses_a_type_or_a_pair_it_has_not(app, apertium_url):
    engine = mt.ApertiumProvider(apertium_url)
    with pytest.raises(mt.Unsupported):
        engine.translate_document(mt.Document(b"%PDF-1.4", PDF), "fr", "es")
    with pytest.raises(mt.Unsupported):
        engine.translate_document(mt.Document(b"Tere", TXT), "et", "lv")


# --- LibreTranslate (peer) ----------------------------------------------------------------


def test_libretranslate_lists_the_types_its_settings_name(app, libre):
    engine = mt.LibreTranslateProvider(libre.url, libre.api_key)
    assert TXT in engine.document_types() and DOCX in engine.document_types()
    assert PDF not in engine.document_types()  # not in the server's supportedFilesFormat
    libre.mode = "no-files"
    assert mt.LibreTranslateProvider(libre.url, libre.api_key).document_types() == frozenset()


def test_libretranslate_translates_a_file_and_fetches_it_from_itself(app, libre):
    engine = mt.LibreTranslateProvider(libre.url, libre.api_key)
    result = engine.translate_document(mt.Document(FRENCH.encode(), TXT), "fr", "de")
    # the answer named another host ("localhost:1"): the file came from the configured one
    assert result.data.decode() == "".join(f"[de] {line}\n" for line in FRENCH.splitlines())
    (call,) = libre.calls
    # a neutral name with the type's extension: the officer's file name stays here
    assert (call["file"], call["source"], call["target"]) == ("document.txt", "fr", "de")


def test_libretranslate_errors_are_told_apart(app, libre):
    engine = mt.LibreTranslateProvider(libre.url, libre.api_key)
    with pytest.raises(mt.Unsupported):
        engine.translate_document(mt.Document(b"Dia duit", TXT), "ga", "en")
    with pytest.raises(mt.Unsupported):
        engine.translate_document(mt.Document(b"%PDF-1.4", PDF), "fr", "de")
    libre.mode = "500"
    with pytest.raises(mt.Unavailable):
        engine.translate_document(mt.Document(b"Bonjour", TXT), "fr", "de")
    libre.mode = "ok"
    with pytest.raises(mt.Rejected):
        mt.LibreTranslateProvider(libre.url, "wrong-key").translate_document(
            mt.Document(b"Bonjour", TXT), "fr", "de"
        )


# --- eTranslation (peer) -----------------------------------------------------------------


def test_etranslation_takes_a_document_with_its_http_destination(app):
    peer = FakeETranslation().start()
    try:
        engine = mt.ETranslationProvider(peer.url, peer.application, peer.password)
        assert PDF in engine.document_types() and "image/png" not in engine.document_types()
        request_id = engine.submit_document(
            mt.Document(b"Dzien dobry", TXT),
            "pl",
            "en",
            "ref-1",
            "http://127.0.0.1:9/done",
            "http://127.0.0.1:9/error",
        )
        assert int(request_id) > 0
        (sent,) = peer.calls
        assert sent["documentToTranslateBase64"]["format"] == "txt"
        assert base64.b64decode(sent["documentToTranslateBase64"]["content"]) == b"Dzien dobry"
        assert sent["destinations"] == {"httpDestinations": ["http://127.0.0.1:9/done"]}
        assert (sent["sourceLanguage"], sent["targetLanguages"]) == ("PL", ["EN"])
        peer.mode = "negative"
        with pytest.raises(mt.Rejected):
            engine.submit_document(mt.Document(b"x", TXT), "pl", "en", "r", "http://a", "http://b")
        with pytest.raises(mt.Unsupported):
            engine.submit_document(mt.Document(b"x", "image/png"), "pl", "en", "r", "a", "b")
    finally:
        peer.stop()
