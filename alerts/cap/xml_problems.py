"""What the XML parsers and the CAP schema say is wrong, in plain words of the catalogs.

Expat (through defusedxml), lxml and libxml2's schema validator explain a broken document in
their own English ("mismatched tag", "Element '{urn:…}info': This element is not expected.
Expected is one of ( … )"). Staff read instead a sentence of the console's catalog with the
line (and column) and a plain reason; element and attribute names and allowed values, which
are CAP's own words, are kept. The parser's message is kept on the error as technical detail
(`CapError.detail`), never in the sentence.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import errors as expat

from lxml import etree  # type: ignore[import-untyped]

from core.said import Said

_EXPAT = {
    expat.codes[expat.XML_ERROR_SYNTAX]: "syntax",
    expat.codes[expat.XML_ERROR_NO_ELEMENTS]: "ends_early",
    expat.codes[expat.XML_ERROR_INVALID_TOKEN]: "bad_character",
    expat.codes[expat.XML_ERROR_UNCLOSED_TOKEN]: "unfinished_tag",
    expat.codes[expat.XML_ERROR_PARTIAL_CHAR]: "bad_character",
    expat.codes[expat.XML_ERROR_TAG_MISMATCH]: "mismatched_tag",
    expat.codes[expat.XML_ERROR_DUPLICATE_ATTRIBUTE]: "attribute_twice",
    expat.codes[expat.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]: "after_the_end",
    expat.codes[expat.XML_ERROR_UNDEFINED_ENTITY]: "entity",
    expat.codes[expat.XML_ERROR_UNBOUND_PREFIX]: "prefix",
    expat.codes[expat.XML_ERROR_INCORRECT_ENCODING]: "encoding",
    expat.codes[expat.XML_ERROR_UNKNOWN_ENCODING]: "encoding",
}
_ERRORS = etree.ErrorTypes
_LIBXML = {
    _ERRORS.ERR_DOCUMENT_EMPTY: "syntax",
    _ERRORS.ERR_TAG_NOT_FINISHED: "ends_early",
    _ERRORS.ERR_INVALID_CHAR: "bad_character",
    _ERRORS.ERR_INVALID_ENCODING: "bad_character",
    _ERRORS.ERR_GT_REQUIRED: "unfinished_tag",
    _ERRORS.ERR_ATTRIBUTE_NOT_STARTED: "unfinished_tag",
    _ERRORS.ERR_TAG_NAME_MISMATCH: "mismatched_tag",
    _ERRORS.ERR_ATTRIBUTE_REDEFINED: "attribute_twice",
    _ERRORS.ERR_DOCUMENT_END: "after_the_end",
    _ERRORS.ERR_UNDECLARED_ENTITY: "entity",
    _ERRORS.NS_ERR_UNDEFINED_NAMESPACE: "prefix",
    _ERRORS.ERR_UNSUPPORTED_ENCODING: "encoding",
}

_ELEMENT = re.compile(r"^Element '(?:\{[^}]*\})?([^']+)'")
_ATTRIBUTE = re.compile(r"attribute '(?:\{[^}]*\})?([^']+)'")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( (.*) \)")
_SET = re.compile(r"set \{(.*)\}")
_NAME = re.compile(r"(?:\{[^}]*\})?([\w*]+)")
_SCHEMA = {
    "SCHEMAV_CVC_ENUMERATION_VALID": "not_in_set",
    "SCHEMAV_CVC_TYPE_3_1_1": "attribute",
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1": "attribute",
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2": "attribute",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_3": "text",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_1": "text",
}
"""libxml2's schema errors by type; "not expected" and "missing" are told apart by message,
and any other error about a value (datatype, pattern, length) is `bad_value`."""


def not_well_formed(error: ParseError) -> Said:
    """Expat's complaint (defusedxml): where, and what is wrong, in plain words."""
    line, column = error.position
    kind = _EXPAT.get(error.code, "other")
    return _at(line, column + 1, Said(f"alerts.cap.xml.{kind}"))


def not_well_formed_lxml(error: Any) -> Said:
    """lxml's complaint about the same (`etree.XMLSyntaxError`)."""
    kind = _LIBXML.get(error.code, "other")
    return _at(error.lineno or 1, error.offset or 0, Said(f"alerts.cap.xml.{kind}"))


def _at(line: int, column: int, reason: Said) -> Said:
    if column > 0:
        return Said("alerts.cap.not_xml_at", line=line, column=column, reason=reason)
    return Said("alerts.cap.not_xml", line=line, reason=reason)


def off_schema(type_name: str, message: str, line: int) -> Said:
    """The first schema error as a sentence: the element, and what the schema wanted."""
    found = _ELEMENT.search(message)
    if found is None:
        return Said("alerts.cap.schema", line=line, reason=Said("alerts.cap.schema_other"))
    element = f"<{found.group(1)}>"
    reason: Said
    expected = _EXPECTED.search(message)
    if type_name == "SCHEMAV_ELEMENT_CONTENT" and expected is not None:
        names = [name for name in _NAME.findall(expected.group(1)) if name != "*"]
        listed = ", ".join(f"<{name}>" for name in names)
        kind = "missing" if "Missing child" in message else "not_expected"
        reason = Said(f"alerts.cap.schema_{kind}", element=element, expected=listed)
    elif _SCHEMA.get(type_name) == "not_in_set" and (values := _SET.search(message)):
        allowed = ", ".join(value.strip().strip("'") for value in values.group(1).split(","))
        reason = Said("alerts.cap.schema_not_in_set", element=element, allowed=allowed)
    elif _SCHEMA.get(type_name) == "attribute" and (attribute := _ATTRIBUTE.search(message)):
        reason = Said("alerts.cap.schema_attribute", element=element, name=attribute.group(1))
    elif _SCHEMA.get(type_name) == "text":
        reason = Said("alerts.cap.schema_text", element=element)
    elif "VALID" in type_name:
        reason = Said("alerts.cap.schema_bad_value", element=element)
    else:
        reason = Said("alerts.cap.schema_element", element=element)
    return Said("alerts.cap.schema", line=line, reason=reason)
