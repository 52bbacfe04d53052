// IMDS's own error bodies: `{"error": "..."}` (plus `newest-versions`) for metadata, and OAuth-style
// `{"error","error_description"}` for the identity endpoint. Every IMDS error the emulator sends is built here.
// Sources: azure-rest-api-specs specification/imds (ErrorResponse, IdentityErrorResponse), MicrosoftDocs
// azure-compute-docs articles/virtual-machines/instance-metadata-service.md ("Versioning", "Errors and debugging"),
// entra-docs how-to-use-vm-token.md ("Error handling"), and bodies quoted from real IMDS in SDK issues.

/** Newest first, as the api-version error lists them (instance-metadata-service.md, "Supported API versions"). */
export const IMDS_API_VERSIONS = [
  "2025-04-07",
  "2024-07-17",
  "2024-03-15",
  "2023-11-15",
  "2023-07-01",
  "2021-12-13",
  "2021-11-15",
  "2021-11-01",
  "2021-10-01",
  "2021-08-01",
  "2021-05-01",
  "2021-03-01",
  "2021-02-01",
  "2021-01-01",
  "2020-12-01",
  "2020-10-01",
  "2020-09-01",
  "2020-07-15",
  "2020-06-01",
  "2019-11-01",
  "2019-08-15",
  "2019-08-01",
  "2019-06-04",
  "2019-06-01",
  "2019-04-30",
  "2019-03-11",
  "2019-02-01",
  "2018-10-01",
  "2018-04-02",
  "2018-02-01",
  "2017-12-01",
  "2017-10-01",
  "2017-08-01",
  "2017-04-02",
  "2017-03-01",
] as const;

export class ImdsError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(String(body.error_description ?? body.error));
    this.name = "ImdsError";
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

const identityError = (
  status: number,
  error: string,
  description: string,
  headers?: Record<string, string>,
) => new ImdsError(status, { error, error_description: description }, headers);

export const imdsErrors = {
  /** instance-metadata-service.md, "Versioning": the body lists the three newest versions. */
  apiVersionMissingOrInvalid(): ImdsError {
    return new ImdsError(400, {
      error:
        "Bad request. api-version is invalid or was not specified in the request. For more information refer to aka.ms/azureimds",
      "newest-versions": IMDS_API_VERSIONS.slice(0, 3),
    });
  },
  /** FAQ of instance-metadata-service.md: "400 Bad Request, Required metadata header not specified". */
  metadataHeaderMissing(): ImdsError {
    return new ImdsError(400, { error: "Bad request. Required metadata header not specified" });
  },
  /** The identity endpoint answers the same check in its OAuth error shape. */
  identityMetadataHeaderMissing(): ImdsError {
    return identityError(400, "invalid_request", "Required metadata header not specified");
  },
  /** IMDS rejects requests that carry X-Forwarded-For (docs: "Security and authentication"); the wording is the emulator's. */
  forwardedRequest(): ImdsError {
    return new ImdsError(400, {
      error: "Bad request. Request contains X-Forwarded-For header, which is not allowed",
    });
  },
  identityForwardedRequest(): ImdsError {
    return identityError(
      400,
      "invalid_request",
      "Request contains X-Forwarded-For header, which is not allowed",
    );
  },
  /** Real body, quoted in Azure/aad-pod-identity#450. */
  resourceMissing(): ImdsError {
    return identityError(400, "invalid_request", "Required query variable 'resource' is missing");
  },
  /** IMDS spec: client_id, object_id and msi_res_id are mutually exclusive. */
  conflictingSelectors(): ImdsError {
    return identityError(
      400,
      "invalid_request",
      "Only one of client_id, object_id or msi_res_id may be specified in the token request",
    );
  },
  /** Real body, quoted in Azure/azure-sdk-for-net#37278 (Server: IMDS/150.870.65.1015). A 400, not a 404, so clients do not retry. */
  identityNotFound(): ImdsError {
    return identityError(400, "invalid_request", "Identity not found");
  },
  /** Real body, quoted in Hexadite/acs-keyvault-agent#43. */
  multipleUserAssignedIdentities(): ImdsError {
    return identityError(
      400,
      "invalid_request",
      "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request",
    );
  },
  /** Entra's AADSTS500011, which IMDS relays for a resource that is not an application in the tenant. */
  unknownResource(resource: string, tenantId: string): ImdsError {
    return identityError(
      400,
      "invalid_resource",
      `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  },
  notFound(): ImdsError {
    return new ImdsError(404, { error: "Not found" });
  },
  methodNotAllowed(): ImdsError {
    return new ImdsError(405, { error: "Method not allowed" }, { allow: "GET" });
  },
  /** Docs, "Query parameters": requests with duplicate query parameter names are rejected. */
  duplicateQueryParameters(): ImdsError {
    return new ImdsError(400, { error: "Bad request. Duplicate query parameter names are not allowed" });
  },
  leafNeedsTextFormat(): ImdsError {
    return new ImdsError(400, {
      error: "Bad request. Query parameter format=json is not supported for leaf nodes; use format=text",
    });
  },
  /** Fault: IMDS is being updated (docs: 410, "available within 70 seconds"). */
  gone(): ImdsError {
    return identityError(
      410,
      "service_unavailable",
      "IMDS is being updated; retry after some time (max 70 seconds)",
    );
  },
  /** Fault: throttled (docs: "Rate limiting"); Retry-After lets the SDK retry. */
  tooManyRequests(retryAfterSeconds: number): ImdsError {
    return identityError(429, "too_many_requests", "Too many requests: IMDS throttle limit reached", {
      "retry-after": String(retryAfterSeconds),
    });
  },
  /** Fault: the docs' 500 "Failed to retrieve token from the Active directory". */
  serverError(): ImdsError {
    return identityError(500, "unknown", "Failed to retrieve token from the Active directory");
  },
};
