"""A WSGI app that answers with the scheme gunicorn gave the request, for
test_admin_and_headers.py to see whether gunicorn believed X-Forwarded-Proto."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["wsgi.url_scheme"].encode()]
