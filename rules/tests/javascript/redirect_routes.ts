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
