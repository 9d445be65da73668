import { Request, Response } from "express";
import { exec } from "child_process";
import * as xpath from "xpath";
import * as ldap from "ldapjs";
import * as libxmljs from "libxmljs";

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
