"""The static index.html: sections of figures with captions, and tables."""
import html

CSS = """
body { font-family: "DejaVu Sans", "WenQuanYi Micro Hei", sans-serif; max-width: 1280px; margin: 2em auto;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: .92em; color: #444; max-width: 1000px; }
table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
nav a { margin-right: 1em; } .note { color: #555; font-size: .92em; }
"""


def esc(text):
    return html.escape(str(text))


class Page:
    def __init__(self, title, lang="en"):
        self.title = title
        self.lang = lang
        self.sections = []  # (anchor, heading, [html parts])

    def section(self, anchor, heading):
        self.sections.append((anchor, heading, []))

    def add(self, raw_html):
        self.sections[-1][2].append(raw_html)

    def paragraph(self, text, cls=None):
        self.add(f"<p{f' class={cls!r}' if cls else ''}>{esc(text)}</p>")

    def figure(self, src, caption):
        self.add(f'<figure><a href="{esc(src)}"><img src="{esc(src)}" alt="{esc(caption[:120])}"></a>'
                 f"<figcaption>{esc(caption)}</figcaption></figure>")

    def table(self, headers, rows, numeric=()):
        head = "".join(f"<th>{esc(h)}</th>" for h in headers)
        body = []
        for row in rows:
            cells = "".join(f'<td class="num">{esc(v)}</td>' if i in numeric else f"<td>{esc(v)}</td>"
                            for i, v in enumerate(row))
            body.append(f"<tr>{cells}</tr>")
        self.add(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")

    def render(self, generated):
        nav = " ".join(f'<a href="#{a}">{esc(h)}</a>' for a, h, _ in self.sections)
        parts = [f'<!DOCTYPE html>\n<html lang="{esc(self.lang)}">\n<head>\n<meta charset="utf-8">\n'
                 f"<title>{esc(self.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
                 f"<h1>{esc(self.title)}</h1>\n<p class=\"note\">{esc(generated)}</p>\n<nav>{nav}</nav>\n"]
        for anchor, heading, content in self.sections:
            parts.append(f'<section id="{esc(anchor)}">\n<h2>{esc(heading)}</h2>\n' + "\n".join(content)
                         + "\n</section>\n")
        parts.append("</body>\n</html>\n")
        return "".join(parts)
