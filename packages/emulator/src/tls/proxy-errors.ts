// The proxy's own answers, for traffic the emulator does not serve: always JSON, always naming the host.

export interface ProxyRefusal {
  status: number;
  statusText: string;
  body: { error: { code: string; message: string } };
}

export const proxyErrors = {
  /**
   * A host the emulator does not imitate and will not tunnel: one of Azure's ("azure", so nothing reaches real Azure
   * by accident), any host at all under `--strict` ("strict"), or a plain http:// request (no `why`).
   */
  hostNotEmulated(host: string, why?: "azure" | "strict"): ProxyRefusal {
    const reason =
      why === "azure"
        ? "an Azure host, and refuses it so that nothing reaches real Azure by accident (https to hosts that are not Azure's is tunnelled through)"
        : why === "strict"
          ? "and refuses every host it does not emulate (strict mode: --strict or MSI_EMULATOR_STRICT=1)"
          : "and never forwards plain http:// requests to the internet";
    return {
      status: 403,
      statusText: "Forbidden",
      body: {
        error: {
          code: "HostNotEmulated",
          message: `msi-emulator does not emulate '${host}', ${reason}. Emulated hosts: management.azure.com, <vault>.vault.azure.net, 169.254.169.254 (IMDS).`,
        },
      },
    };
  },
  /** A CONNECT to a host that is not Azure's, whose connection failed (no such name, refused, unreachable). */
  upstreamUnreachable(target: string, reason: string): ProxyRefusal {
    return {
      status: 502,
      statusText: "Bad Gateway",
      body: {
        error: {
          code: "UpstreamUnreachable",
          message: `msi-emulator could not connect to '${target}' to tunnel it through: ${reason}.`,
        },
      },
    };
  },
  /**
   * A name under an emulated domain that does not exist (e.g. a vault that was never created). Answered as proxies
   * answer a failed DNS lookup: the client sees the proxy's status with this body, so the Azure SDK raises a
   * RestError whose code is ENOTFOUND, as it does for an unresolvable host without a proxy.
   */
  hostNotFound(host: string): ProxyRefusal {
    return {
      status: 404,
      statusText: "Not Found",
      body: {
        error: {
          code: "ENOTFOUND",
          message: `getaddrinfo ENOTFOUND ${host} (msi-emulator: no such host in the emulated world)`,
        },
      },
    };
  },
  /** The emulator's CA could not sign a certificate for an emulated host. */
  certificateFailed(host: string, reason: string): ProxyRefusal {
    return {
      status: 502,
      statusText: "Bad Gateway",
      body: {
        error: {
          code: "CertificateError",
          message: `msi-emulator could not issue a certificate for ${host}: ${reason}`,
        },
      },
    };
  },
  /** Node answers a request it cannot parse with a bare 400; this one says why, as JSON. */
  malformedRequest(): ProxyRefusal {
    return {
      status: 400,
      statusText: "Bad Request",
      body: { error: { code: "BadRequest", message: "The request could not be parsed as HTTP/1.1." } },
    };
  },
  /** A request whose headers or body did not arrive within the time limit. */
  requestTimeout(): ProxyRefusal {
    return {
      status: 408,
      statusText: "Request Timeout",
      body: {
        error: {
          code: "RequestTimeout",
          message: "The request did not arrive in time; the connection is closed.",
        },
      },
    };
  },
  /** An absolute-form request target that is not a URL (`GET http://[::1/x`). */
  badTarget(target: string): ProxyRefusal {
    return {
      status: 400,
      statusText: "Bad Request",
      body: {
        error: {
          code: "BadRequest",
          message: `Cannot parse the request target '${target.slice(0, 200)}' as a URL.`,
        },
      },
    };
  },
  /** HTTP/1.1 without Host: Node would answer a bare 400; this one says why, as JSON. */
  missingHost(): ProxyRefusal {
    return {
      status: 400,
      statusText: "Bad Request",
      body: { error: { code: "BadRequest", message: "An HTTP/1.1 request must have a Host header." } },
    };
  },
  /**
   * A request for the IMDS path through this port whose Host is a web site's name: a page that rebinds its name
   * to 127.0.0.1 must not get tokens.
   */
  foreignHostForImds(host: string): ProxyRefusal {
    return {
      status: 403,
      statusText: "Forbidden",
      body: {
        error: {
          code: "HostNotAllowed",
          message: `msi-emulator serves IMDS here only for Host 169.254.169.254 or a loopback name, not '${host.slice(0, 200)}'.`,
        },
      },
    };
  },
  badConnectTarget(target: string): ProxyRefusal {
    return {
      status: 400,
      statusText: "Bad Request",
      body: {
        error: {
          code: "BadConnectTarget",
          message: `Cannot parse CONNECT target '${target}'; expected host:port.`,
        },
      },
    };
  },
};
