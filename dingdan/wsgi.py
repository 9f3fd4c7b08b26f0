import os

from django.core.wsgi import get_wsgi_application

from dingdan import runtime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dingdan.settings")

application = get_wsgi_application()
runtime.settle()
