#include "thaiyyal/http/network_policy.h"

#include <doctest/doctest.h>

#include <map>

using namespace thaiyyal::http;

namespace {

/// A resolver with fixed answers: names that "resolve" to internal addresses.
std::vector<IpAddress> fake_resolve(const std::string& host) {
  static const std::map<std::string, std::vector<std::string>> kZone = {
      {"public.example", {"93.184.216.34"}},
      {"localhost", {"127.0.0.1", "::1"}},
      {"v6.example", {"2606:2800:220:1:248:1893:25c8:1946"}},
      {"127.0.0.1.nip.io", {"127.0.0.1"}},
      {"rebind.example", {"93.184.216.34", "10.0.0.5"}},
      {"metadata.nip.io", {"169.254.169.254"}},
      {"mapped.example", {"::ffff:127.0.0.1"}},
      {"api.allowed.example", {"93.184.216.35"}},
  };
  std::vector<IpAddress> out;
  auto it = kZone.find(host);
  if (it == kZone.end()) return out;
  for (const auto& a : it->second) out.push_back(*parse_ip(a));
  return out;
}

std::optional<std::string> refusal(const std::string& text, const NetworkPolicy& p = {}) {
  std::string err;
  auto url = parse_url(text, &err);
  if (!url) return "invalid URL: " + err;
  return admit(*url, p, fake_resolve).error;
}

}  // namespace

TEST_SUITE("http") {
  TEST_CASE("hostile URLs are refused by the default policy") {
    const char* hostile[] = {
        "http://public.example/",                     // plain http without --allow-http
        "https://127.0.0.1/",                         // loopback
        "https://127.1.2.3/",                         // loopback range
        "https://[::1]/",                             // IPv6 loopback
        "https://localhost/",                         // name
        "https://localhost./",                        // trailing dot
        "https://app.localhost/",                     // *.localhost
        "https://ip6-localhost/",                     // alias
        "https://0.0.0.0/",                           // unspecified
        "https://[::]/",                              // IPv6 unspecified
        "https://10.1.2.3/",                          // private
        "https://172.16.0.1/",                        // private
        "https://192.168.1.1/",                       // private
        "https://[fc00::1]/",                         // unique local
        "https://100.64.0.1/",                        // CGNAT
        "https://169.254.169.254/latest/meta-data/",  // metadata
        "https://169.254.10.10/",                     // link-local
        "https://[fe80::1]/",                         // IPv6 link-local
        "https://[fd00:ec2::254]/",                   // AWS IPv6 metadata
        "https://100.100.100.200/",                   // Alibaba metadata
        "https://metadata.google.internal/",          // metadata name
        "https://224.0.0.1/",                         // multicast
        "https://[ff02::1]/",                         // IPv6 multicast
        "https://255.255.255.255/",                   // broadcast
        "https://[::ffff:127.0.0.1]/",                // IPv4-mapped
        "https://[::ffff:7f00:1]/",                   // IPv4-mapped, hex form
        "https://[64:ff9b::7f00:1]/",                 // NAT64
        "https://[2002:7f00:1::]/",                   // 6to4 of 127.0.0.1
        "https://[::127.0.0.1]/",                     // IPv4-compatible
        "https://2130706433/",                        // decimal IPv4
        "https://0x7f.1/",                            // hex + short form
        "https://017700000001/",                      // octal
        "https://0177.0.0.1/",                        // octal dotted
        "https://127.1/",                             // short form
        "https://127.0.0.1.nip.io/",                  // DNS name resolving to loopback
        "https://rebind.example/",                    // one public and one private answer
        "https://metadata.nip.io/",                   // DNS name resolving to metadata
        "https://mapped.example/",                    // DNS answer in IPv4-mapped form
        "https://unresolvable.example/",              // DNS failure is a refusal
        "file:///etc/passwd",                         // scheme
        "gopher://public.example/",                   // scheme
        "https:///nohost",                            // no host
        "https://[fe80::1%25eth0]/",                  // zone id
    };
    for (const char* url : hostile) {
      INFO(url);
      CHECK(refusal(url).has_value());
    }
  }

  TEST_CASE("refusals say why") {
    CHECK(*refusal("https://127.0.0.1/") ==
          "IP validation failed for 127.0.0.1: localhost addresses are blocked (use "
          "--allow-localhost to permit)");
    CHECK(*refusal("http://public.example/") ==
          "URL scheme not allowed: http (allowed: https; use --allow-http to permit http)");
    CHECK(*refusal("https://127.0.0.1.nip.io/") ==
          "IP validation failed for 127.0.0.1.nip.io (127.0.0.1): localhost addresses are blocked "
          "(use --allow-localhost to permit)");
    CHECK(refusal("https://169.254.169.254/")->find("cloud metadata") != std::string::npos);
    CHECK(refusal("https://2130706433/")->find("non-canonical") != std::string::npos);
  }

  TEST_CASE("allowed forms pass with their flags") {
    CHECK_FALSE(refusal("https://public.example/").has_value());
    CHECK_FALSE(refusal("https://v6.example/x?y=1").has_value());
    NetworkPolicy p;
    p.allow_http = true;
    CHECK_FALSE(refusal("http://public.example/", p).has_value());
    CHECK(refusal("http://127.0.0.1:8080/", p).has_value());
    p.allow_localhost = true;
    CHECK_FALSE(refusal("http://127.0.0.1:8080/", p).has_value());
    CHECK_FALSE(refusal("http://localhost/", p).has_value());
    CHECK_FALSE(refusal("http://[::1]/", p).has_value());
    CHECK(refusal("http://10.0.0.1/", p).has_value());
    p.allow_private_ips = true;
    CHECK_FALSE(refusal("http://10.0.0.1/", p).has_value());
    CHECK_FALSE(refusal("http://rebind.example/", p).has_value());
    // Metadata stays blocked even when link-local and private are allowed.
    p.allow_link_local = true;
    CHECK_FALSE(refusal("http://169.254.1.1/", p).has_value());
    CHECK(refusal("http://169.254.169.254/", p).has_value());
    p.allow_cloud_metadata = true;
    CHECK_FALSE(refusal("http://169.254.169.254/", p).has_value());
    // Odd spellings are never accepted, whatever the flags.
    CHECK(refusal("http://2130706433/", p).has_value());
  }

  TEST_CASE("domain allowlist admits the domain and its subdomains only") {
    NetworkPolicy p;
    p.allowed_domains = {"allowed.example"};
    CHECK_FALSE(refusal("https://api.allowed.example/", p).has_value());
    CHECK(*refusal("https://public.example/", p) == "domain not in allowlist: public.example");
    CHECK(refusal("https://notallowed.example/", p).has_value());
  }

  TEST_CASE("URLs parse strictly and redirects resolve") {
    auto u = parse_url("HTTPS://User:pw@Example.COM:8443/a/b?q=1#frag");
    REQUIRE(u.has_value());
    CHECK(u->scheme == "https");
    CHECK(u->host == "example.com");
    CHECK(u->port == 8443);
    CHECK(u->userinfo == "User:pw");
    CHECK(u->target == "/a/b?q=1");
    CHECK(u->text() == "https://example.com:8443/a/b?q=1");
    CHECK_FALSE(parse_url("https://exa mple.com/").has_value());
    CHECK_FALSE(parse_url("https://host:99999/").has_value());
    auto next = resolve_location(*u, "../c");
    REQUIRE(next.has_value());
    CHECK(next->text() == "https://example.com:8443/a/../c");
    CHECK(resolve_location(*u, "/root")->text() == "https://example.com:8443/root");
    CHECK(resolve_location(*u, "http://169.254.169.254/")->host == "169.254.169.254");
  }

  TEST_CASE("user-info, allowlist spellings and a client's own domains") {
    // Credentials never travel in URLs, whatever the flags.
    NetworkPolicy open;
    open.allow_http = open.allow_localhost = open.allow_private_ips = true;
    const std::string no_credentials =
        "credentials in URLs are not allowed (configure them in a named HTTP client)";
    CHECK(refusal("https://user:pw@public.example/") == no_credentials);
    CHECK(refusal("https://user@public.example/") == no_credentials);
    CHECK(refusal("http://user:pw@127.0.0.1:8080/", open) == no_credentials);
    CHECK_FALSE(refusal("https://public.example/a@b").has_value());

    // "example", ".example" and "*.example" all admit the domain and its
    // subdomains, and nothing that merely ends with the same letters.
    for (const char* entry : {"allowed.example", ".allowed.example", "*.allowed.example",
                              "ALLOWED.example.", "*.Allowed.Example"}) {
      INFO(entry);
      NetworkPolicy p;
      p.allowed_domains = {entry};
      CHECK_FALSE(refusal("https://api.allowed.example/", p).has_value());
      CHECK(refusal("https://notallowed.example/", p) ==
            "domain not in allowlist: notallowed.example");
      CHECK(refusal("https://public.example/", p) == "domain not in allowlist: public.example");
    }
    // Degenerate entries match nothing.
    NetworkPolicy degenerate;
    degenerate.allowed_domains = {"*.", ".", ""};
    CHECK(refusal("https://public.example/", degenerate) ==
          "domain not in allowlist: public.example");

    // A client's domains narrow further; both lists must admit the host.
    NetworkPolicy client;
    client.client_domains = {"*.allowed.example"};
    CHECK_FALSE(refusal("https://api.allowed.example/x", client).has_value());
    CHECK(refusal("https://public.example/", client) ==
          "domain not in the HTTP client's allowed_domains: public.example");
    client.allowed_domains = {"public.example"};
    CHECK(refusal("https://api.allowed.example/", client) ==
          "domain not in allowlist: api.allowed.example");
    CHECK(refusal("https://public.example/", client) ==
          "domain not in the HTTP client's allowed_domains: public.example");
    client.allowed_domains = {"example"};
    CHECK_FALSE(refusal("https://api.allowed.example/", client).has_value());
    // The domain lists do not lift the address checks.
    NetworkPolicy local;
    local.allow_http = true;
    local.client_domains = {"localhost"};
    CHECK(refusal("http://localhost/", local) ==
          "IP validation failed for localhost: localhost addresses are blocked (use "
          "--allow-localhost to permit)");
  }
}
