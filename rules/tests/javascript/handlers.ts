import { Request, Response } from "express";
import { exec } from "child_process";
import * as xpath from "xpath";
import * as ldap from "ldapjs";
import * as libxmljs from "libxmljs";
import * as path from "path";
import { pool } from "./db";

export function lookup(req: Request, res: Response, client: ldap.Client, doc: Node): void {
  const user: string = req.query.user as string;
  // ruleid: ldap-injection
  client.search("ou=people", { filter: "(uid=" + user + ")" }, () => {});
  // ok: ldap-injection
  client.search("ou=people", { filter: "(uid=admin)" }, () => {});
  // ruleid: xpath-injection
  xpath.select("//user[@name='" + user + "']", doc);
  // ok: xpath-injection
  xpath.select("//user[@name='admin']", doc);
  // ruleid: xxe
  libxmljs.parseXml(req.body, { noent: true });
  // ok: xxe
  libxmljs.parseXml(req.body, { noent: false });
  // ruleid: command-injection
  exec(`ping -c 1 ${user}`);
}

// Handlers that destructure the request read the same fields.
export function destructured({ body, query }: Request, res: Response): void {
  // ruleid: command-injection
  exec(`convert ${body.file}`);
  // ruleid: open-redirect
  res.redirect(query.to as string);
  // ok: open-redirect
  res.redirect("/home");
}

export function withDefaults(req: Request, res: Response): void {
  const { q = "", limit = 10 } = req.query;
  // ruleid: command-injection
  exec(`grep ${q}`);
  res.json({ limit });
}

export const untyped = ({ params }, res) => {
  // ruleid: path-traversal
  res.sendFile(path.resolve("ftp/", params.file));
};

// Not a handler: destructuring an options object is not reading a request.
export function configure({ command }: { command: string }, verbose: boolean): void {
  // ok: command-injection
  exec(command);
}

// Deleting everything but letters, digits, '_' and '-' leaves nothing to inject.
export function trackOrder(req: Request, res: Response): void {
  const id = String(req.params.id).replace(/[^\w-]+/g, "");
  // ok: command-injection
  exec(`track ${id}`);
  const loose = String(req.params.id).replace(/[^\w.\/-]+/g, "");
  // ruleid: path-traversal
  res.sendFile(loose);
}

// A project class's own find() is judged by what it does, not by the
// MongoDB model that shares its name.
class UserRepository {
  constructor(private readonly db: { query(sql: string): Promise<unknown> }) {}
  find(name: string): Promise<unknown> {
    // ruleid: sql-injection
    return this.db.query("SELECT * FROM users WHERE name = '" + name + "'");
  }
}

export async function findUser(req: Request, res: Response, repo: UserRepository): Promise<void> {
  const users = new UserRepository(pool);
  // ok: nosql-injection
  res.json(await users.find(req.body.name));
}

// TypeORM query builders take SQL text in where(); values go in the parameters.
export async function typeorm(req: Request, res: Response, ds: any): Promise<void> {
  const n = req.query.n as string;
  // ruleid: sql-injection
  await ds.getRepository("User").createQueryBuilder("u").where(`u.name = '${n}'`).getMany();
  // ok: sql-injection
  await ds.getRepository("User").createQueryBuilder("u").where("u.name = :n", { n }).getMany();
  res.end();
}
