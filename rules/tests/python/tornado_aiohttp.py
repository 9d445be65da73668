# Tornado handlers and aiohttp views.
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
