"""A browser without JavaScript for the route tests: it reads the page's form as a browser would
(hidden fields, checked boxes, selected options, the buttons that belong to the form) and submits it
with the button pressed, through the framework's test client."""
from __future__ import annotations

from lxml import html as lxml_html

FORM = "w-form"


class Page:
    def __init__(self, client, response):
        self.client = client
        self.response = response
        self.status = response.status_code
        binary = not response.mimetype.startswith("text/") and not response.mimetype.endswith(("json", "yaml"))
        self.text = "" if binary else response.get_data(as_text=True)
        self.doc = lxml_html.document_fromstring(self.text) if response.mimetype == "text/html" else None

    # -- reading
    def by_id(self, element_id: str):
        found = self.doc.xpath("//*[@id=$id]", id=element_id)
        return found[0] if found else None

    def content(self, element_id: str) -> str:
        element = self.by_id(element_id)
        return " ".join(element.text_content().split()) if element is not None else ""

    @property
    def heading(self) -> str:
        return " ".join(self.doc.xpath("//h1")[0].text_content().split())

    @property
    def lang(self) -> str:
        return self.doc.get("lang")

    def _controls(self):
        form = self.by_id(FORM)
        inside = form.xpath(".//input|.//select|.//button")
        outside = self.doc.xpath("//*[@form=$id]", id=FORM)
        return inside + [c for c in outside if c not in inside]

    def fields(self) -> list[tuple[str, str]]:
        """What the form sends: every successful control, in document order, buttons aside."""
        pairs = []
        for control in self._controls():
            name = control.get("name")
            if not name or control.tag == "button" or control.get("disabled") is not None:
                continue
            if control.tag == "select":
                options = control.xpath(".//option")
                chosen = [o for o in options if o.get("selected") is not None] or options[:1]
                pairs += [(name, o.get("value")) for o in chosen]
            elif control.get("type") in ("radio", "checkbox"):
                if control.get("checked") is not None:
                    pairs.append((name, control.get("value", "on")))
            elif control.get("type") != "file":
                pairs.append((name, control.get("value", "")))
        return pairs

    def value(self, name: str) -> str | list[str]:
        found = [v for n, v in self.fields() if n == name]
        return found[0] if len(found) == 1 else [v for v in found if v]

    def button(self, value: str):
        for control in self._controls():
            if control.tag == "button" and control.get("value") == value:
                return control
        raise AssertionError(f"no button {value!r} on the page")

    # -- acting
    def press(self, value: str, **changes) -> Page:
        """Press the button with this value, after changing fields (a list sets check boxes)."""
        button = self.button(value)
        action = button.get("formaction") or self.by_id(FORM).get("action")
        pairs = [*self.changed(**changes), (button.get("name"), button.get("value"))]
        return post(self.client, action.split("#")[0], pairs)

    def changed(self, **changes) -> list[tuple[str, str]]:
        """The form's fields with these changed."""
        pairs = [(n, v) for n, v in self.fields() if n not in changes]
        for name, new in changes.items():
            if isinstance(new, list):
                pairs += [(name, "")] + [(name, item) for item in new]
            else:
                pairs.append((name, new))
        return pairs


def post(client, url: str, pairs: list[tuple[str, str]], **kwargs) -> Page:
    from werkzeug.datastructures import MultiDict

    return Page(client, client.post(url, data=MultiDict(pairs), **kwargs))


def get(client, url: str, **kwargs) -> Page:
    return Page(client, client.get(url, **kwargs))
