// React views: text children are escaped; dangerouslySetInnerHTML is not.
import React from "react";
import DOMPurify from "dompurify";

export function Comment(): JSX.Element {
  const html = new URLSearchParams(window.location.search).get("c") ?? "";
  // ruleid: xss
  return <div dangerouslySetInnerHTML={{ __html: html }} />;
}

export function CleanComment(): JSX.Element {
  const html = new URLSearchParams(window.location.search).get("c") ?? "";
  // ok: xss
  return <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }} />;
}

export function Text(): JSX.Element {
  const text = window.location.hash.slice(1);
  // ok: xss
  return <p title={text}>{text}</p>;
}

// Angular: bypassSecurityTrust* turns escaping off for the value.
export class ProfileComponent {
  constructor(private readonly sanitizer: { bypassSecurityTrustHtml(v: string): unknown }) {}
  bio(): unknown {
    const raw = new URLSearchParams(window.location.search).get("bio") ?? "";
    // ruleid: xss
    return this.sanitizer.bypassSecurityTrustHtml(raw);
  }
  title(): unknown {
    // ok: xss
    return this.sanitizer.bypassSecurityTrustHtml("<b>Profile</b>");
  }
}

// Angular route parameters, read through an injected ActivatedRoute.
export class SearchResultComponent {
  public searchValue: unknown;
  constructor(
    private readonly route: { snapshot: { queryParams: Record<string, string>; paramMap: Map<string, string> } },
    private readonly sanitizer: { bypassSecurityTrustHtml(v: string): unknown },
  ) {}
  filter(): void {
    let queryParam: string = this.route.snapshot.queryParams.q;
    queryParam = queryParam.trim();
    // ruleid: xss
    this.searchValue = this.sanitizer.bypassSecurityTrustHtml(queryParam);
    // Angular escapes a plain binding itself.
    // ok: xss
    this.searchValue = queryParam;
  }
  byId(el: HTMLElement): void {
    // ruleid: xss
    el.innerHTML = this.route.snapshot.paramMap.get("id") ?? "";
  }
}
