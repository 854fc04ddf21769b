"""Bot API call parameters from JSON, urlencoded or multipart bodies, and typed access to them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, MultipartReader, hdrs, web

from sandbox.errors import BotApiError, bad_request


@dataclass(frozen=True, slots=True)
class Upload:
    """A file uploaded in a multipart part."""

    data: bytes
    filename: str | None = None
    content_type: str | None = None


@dataclass(slots=True)
class Params:
    """The parameters of one Bot API call: plain values and uploaded files."""

    values: dict[str, Any] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)

    @classmethod
    async def from_request(cls, request: web.Request) -> Params:
        """Read query string and body (JSON, urlencoded or multipart) of a request."""
        params = cls(dict(request.query))
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as error:
                raise bad_request("can't parse JSON object") from error
            if not isinstance(body, dict):
                raise bad_request("parameters must be a JSON object")
            params.values.update(body)
        elif content_type == "multipart/form-data":
            await params.read_multipart(await request.multipart())
        elif content_type == "application/x-www-form-urlencoded":
            form = await request.post()
            params.values.update(form)
        return params

    async def read_multipart(self, reader: MultipartReader) -> None:
        """Add the fields and files of a multipart body."""
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or not part.name:
                continue
            if part.filename is None:
                self.values[part.name] = await part.text()
            else:
                data = await part.read(decode=True)
                content_type = part.headers.get(hdrs.CONTENT_TYPE)
                self.uploads[part.name] = Upload(bytes(data), part.filename, content_type)

    def get_str(self, name: str) -> str | None:
        """Return a parameter as text, None when absent."""
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    def get_int(self, name: str, *, invalid: str | None = None) -> int | None:
        """Return a parameter as an integer, None when absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip())
        except ValueError as error:
            raise bad_request(invalid or f"{name} must be an integer") from error

    def require_int(self, name: str, *, invalid: str | None = None) -> int:
        """Return a required integer parameter or raise "<name> is empty"."""
        value = self.get_int(name, invalid=invalid)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def get_float(self, name: str) -> float | None:
        """Return a parameter as a number, None when absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError) as error:
            raise bad_request(f"{name} must be a number") from error

    def get_bool(self, name: str) -> bool:
        """Return a parameter as a boolean, False when absent."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def get_json(self, name: str, *, error: str | None = None) -> Any:
        """Return a JSON-serialised parameter decoded (objects in a JSON body come as they are)."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if not value:
            return None
        try:
            return json.loads(value)
        except ValueError as exc:
            raise bad_request(error or f"can't parse {name} JSON object") from exc

    def get_file(self, name: str) -> Upload | str | None:
        """Return an uploaded file (the part itself or attach://<part>) or a file_id/URL string."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.get_str(name)
        if value is None or not value.startswith("attach://"):
            return value
        upload = self.uploads.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return upload


@dataclass(frozen=True, slots=True)
class Call:
    """One Bot API call: the parameters and the id of the bot whose token was used."""

    params: Params
    bot_id: int
    token: str


def method_not_found() -> BotApiError:
    """Return the 404 error for an unknown method."""
    return BotApiError(404, "Not Found: method not found")
