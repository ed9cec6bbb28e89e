// Where a token may be sent, as units: API hosts read into origins (a bad entry named), and a call's
// URL compared by origin: scheme, host and port, as WHATWG URL normalises them.
import assert from "node:assert/strict";
import { ApiOrigins, apiOrigins, readApiHosts } from "../src/api-origins";
import { TokenError } from "../src/errors";

describe("API origins", () => {
  it("reads API hosts separated by commas or spaces, each as its origin (default port, case, IDNA normalised)", () => {
    assert.deepEqual(readApiHosts("", "V"), []);
    assert.deepEqual(readApiHosts(" , ", "V"), []);
    assert.deepEqual(
      readApiHosts(
        "https://A.Example.com:443, http://127.0.0.1:8080\n https://bücher.example/ ,https://x.example:8443",
        "V",
      ),
      ["https://a.example.com", "http://127.0.0.1:8080", "https://xn--bcher-kva.example", "https://x.example:8443"],
    );
  });

  it("an entry that is not an origin is a config error naming API hosts and the entry", () => {
    for (const entry of [
      "api.example.com",
      "api.example.com:443",
      "https://api.example.com/v1",
      "https://api.example.com?x=1",
      "https://api.example.com#top",
      "https://user:pw@api.example.com",
      "ftp://api.example.com",
      "https://",
    ]) {
      assert.throws(
        () => readApiHosts(`https://ok.example ${entry}`, "V"),
        (err: unknown) =>
          err instanceof TokenError &&
          err.kind === "config" &&
          err.key === "bad-api-host" &&
          err.params.field === "apiHosts" &&
          err.params.value === JSON.stringify(entry),
        entry,
      );
    }
  });

  it("the API URL's origin comes first, each origin once; a URL that is not http(s) adds none", () => {
    assert.deepEqual(apiOrigins("https://api.example.com/v1", ["https://b.example", "https://api.example.com"]), [
      "https://api.example.com",
      "https://b.example",
    ]);
    assert.deepEqual(apiOrigins("", ["https://b.example"]), ["https://b.example"]);
    assert.deepEqual(apiOrigins("data:text/plain,x", []), []);
  });

  it("allows the same origin however written; refuses another host, port or scheme, naming what to add", () => {
    const origins = new ApiOrigins(["https://api.example.com", "http://127.0.0.1:8080"], "My API");
    for (const url of ["https://API.example.com:443/v1?x=1", "https://api.example.com", "http://127.0.0.1:8080/x"]) {
      assert.doesNotThrow(() => origins.check(url, "V"), url);
    }
    const refused = (url: string, allowed = origins): TokenError => {
      try {
        allowed.check(url, "V");
      } catch (err) {
        if (err instanceof TokenError) return err;
        throw err;
      }
      throw new Error(`${url} was allowed`);
    };
    for (const [url, origin] of [
      ["https://evil.example/v1?token=x", "https://evil.example"],
      ["https://api.example.com:8443/v1", "https://api.example.com:8443"],
      ["http://api.example.com/v1", "http://api.example.com"],
      ["https://127.0.0.1:8080/x", "https://127.0.0.1:8080"],
      ["http://127.0.0.1:8081/x", "http://127.0.0.1:8081"],
      ["https://api.example.com.evil.example/", "https://api.example.com.evil.example"],
    ]) {
      const error = refused(url);
      assert.equal(error.kind, "config");
      assert.equal(
        error.message,
        `the token of My API is sent only to https://api.example.com, http://127.0.0.1:8080; add ${origin} to its API hosts`,
      );
    }
    // A URL with no origin of its own is named by its scheme and host, never its path or query.
    assert.match(refused("ftp://files.example/secret?k=1").message, /add ftp:\/\/files\.example to its API hosts$/);
    assert.equal(
      refused("https://api.example.com/x", new ApiOrigins([], "OAuth2 credentials")).message,
      "the token of OAuth2 credentials is sent to no host yet: set its API URL, or add https://api.example.com to its API hosts",
    );
  });
});
