"""A paper answered as a page to print from the browser, or as a PDF download drawn by
WeasyPrint from the same template. The stylesheet is inside the template and the codes are
inline SVG, so rendering a PDF fetches nothing: the fetcher accepts only data: URLs."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from dingdan.errors import DomainError, InvalidInput


class PdfUnavailable(DomainError):
    """WeasyPrint cannot load Debian's pango here (`make setup` names the packages)."""

    status = 503
    code = "pdf_unavailable"


PDF = "pdf"
HTML = "html"
FORMATS = (HTML, PDF)


def html_to_pdf(html: str) -> bytes:
    """The PDF of a paper's HTML. WeasyPrint is imported here, not at start-up: it loads
    Debian's pango, which a machine without the PDF packages lacks (`make setup`)."""
    try:
        from weasyprint import HTML as Document
        from weasyprint.urls import URLFetcher
    except OSError as exc:  # pango is missing: the page still prints from the browser
        raise PdfUnavailable(_("PDFs cannot be made on this server (%(reason)s); print the "
                               "page from the browser instead.") % {"reason": exc}) from exc

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    return Document(string=html, url_fetcher=fetcher, base_url="data:,").write_pdf()


def paper_response(request: HttpRequest, template: str, context: dict, *, file_name: str,
                   output: str = HTML) -> HttpResponse:
    """The paper as a page (output HTML) or as a PDF attachment named `file_name`
    (without ".pdf")."""
    context = {**context, "is_pdf": output == PDF}
    html = render_to_string(template, context, request=request)
    if output != PDF:
        return HttpResponse(html)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{file_name}.pdf")
    return response


def requested_output(request: HttpRequest) -> str:
    """HTML unless the request asks for `format=pdf`; another format is refused."""
    output = (request.POST if request.method == "POST" else request.GET).get("format") or HTML
    if output not in FORMATS:
        message = _("A paper is printed as html or pdf, not %(format)s.") % {
            "format": output[:20]}
        raise InvalidInput(message, code="unknown_format", fields={"format": message})
    return output


def printable(view: Callable) -> Callable:
    """A paper's view inside `staff_view`: a request it cannot print (no orders, too many,
    a bad id) answers 400 with the reason, in the page's frame; a PDF on a machine without
    pango answers 503 saying so."""
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (InvalidInput, PdfUnavailable) as exc:
            return render(request, "web/refused.html", {"message": exc.message},
                          status=exc.status)

    return wrapper
