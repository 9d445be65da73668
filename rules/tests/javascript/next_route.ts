// Fetch-API route handlers (Next.js app router style).
import { readFile } from "fs/promises";

export async function POST(request: Request) {
  const body = await request.json();
  // ruleid: path-traversal
  const data = await readFile("/srv/reports/" + body.name);
  // ok: path-traversal
  const index = await readFile("/srv/reports/index.json");
  return new Response(data.toString() + index.toString());
}

export async function GET(request: Request) {
  const who = new URL(request.url).searchParams.get("who") ?? "";
  // ruleid: xss
  return new Response("<p>Hello " + who + "</p>", { headers: { "Content-Type": "text/html" } });
}

export async function PUT(request: Request) {
  const who = new URL(request.url).searchParams.get("who") ?? "";
  // A string body is sent as text/plain.
  // ok: xss
  return new Response("Hello " + who);
}
