# Tornado handlers and aiohttp views.
import io
import os

import tornado.web
from aiohttp import web


class EchoHandler(tornado.web.RequestHandler):
    def get(self):
        name = self.get_argument("name")
        # ruleid: command-injection
        os.system("echo " + name)
        nxt = self.get_query_argument("next")
        # ruleid: open-redirect
        self.redirect(nxt)
        # ok: open-redirect
        self.redirect("/home")

    def post(self):
        # ruleid: command-injection
        os.system(self.request.body)

    def put(self):
        name = self.get_argument("name")
        # ruleid: xss
        self.write("<p>Hello " + name + "</p>")
        # ok: xss
        self.write("<p>Hello " + tornado.escape.xhtml_escape(name) + "</p>")


class BaseHandler(tornado.web.RequestHandler):
    pass


class ProfileHandler(BaseHandler):
    def get(self):
        # Inherited through the project's own base class.
        # ruleid: xss
        self.finish(self.get_argument("bio"))


class LogBuffer(io.StringIO):
    # Not a request handler: the inherited write() is no response.
    def log(self, handler):
        # ok: xss
        self.write(handler.get_argument("msg"))


async def hello(request):
    name = request.query["name"]
    # ruleid: xss
    return web.Response(text="<p>" + name + "</p>", content_type="text/html")


async def hello_text(request):
    name = request.match_info.get("name")
    # ok: xss
    return web.Response(text="hello " + name)


async def form(request):
    data = await request.post()
    # ruleid: command-injection
    os.system(data["cmd"])
    # ruleid: open-redirect
    raise web.HTTPFound(data["next"])


# Sanic / Pyramid / Falcon-style handlers get the request as a parameter.
async def sanic_search(request):
    # ruleid: command-injection
    os.system("grep " + request.args.get("q", ""))


def pyramid_view(request):
    # ruleid: command-injection
    os.system("echo " + request.matchdict["name"])


class FalconResource:
    def on_get(self, req, resp):
        # ruleid: command-injection
        os.system("echo " + req.get_param("name"))
