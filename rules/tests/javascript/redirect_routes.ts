import { Request, Response, NextFunction } from "express";
import * as security from "./redirect_policy";

export function performRedirect() {
  return ({ query }: Request, res: Response, next: NextFunction) => {
    const toUrl: string = query.to as string;
    if (security.isRedirectAllowed(toUrl)) {
      // ok: open-redirect
      res.redirect(toUrl);
    } else if (security.isRedirectMentioned(toUrl)) {
      // ruleid: open-redirect
      res.redirect(toUrl);
    } else if (security.isRedirectLoose(toUrl, query.force === "1")) {
      // ruleid: open-redirect
      res.redirect(toUrl);
    } else {
      res.status(406);
      next(new Error("Unrecognized target URL for redirect"));
    }
  };
}

export function manualRedirect(req: any, res: any) {
  const back = String(req.query.back);
  if (req.query.home) {
    // ok: open-redirect
    res.setHeader("Location", "/home");
    return res.status(302).end();
  }
  // ruleid: open-redirect
  res.writeHead(302, { Location: back });
  res.end();
}

export function headerRedirect(req: any, res: any) {
  // ruleid: open-redirect
  res.set("Location", req.query.next);
  res.status(303).end();
}

export function locationOnly(req: any, res: any) {
  if (req.query.home) {
    // ok: open-redirect
    return res.location("/home").status(302).end();
  }
  // ruleid: open-redirect
  res.location(req.query.to).status(302).end();
}
