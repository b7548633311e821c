// The JSON fetch wrapper of the console and the seller portal: bearer token, no caching, and one error
// type whose code is the api's detail.code (or "network", "unauthorized", "generic").

export class ApiError extends Error {
  constructor(code, status, detail) {
    super(code);
    this.code = code;
    this.status = status;
    this.detail = detail || {};
    this.retryAfter = detail && Number.isFinite(detail.retry_after) ? detail.retry_after : null; // seconds, on 429s
  }
}

/**
 * api(method, path, body) against `base`. getToken() gives the bearer token, headers() more headers;
 * a 401 on anything but /login calls onUnauthorized() (the session ended) before the error is thrown.
 * invalidCode names a 422 without a code of its own (the console shows "invalid input").
 */
export function createApi({ base, getToken, headers = () => ({}), onUnauthorized, invalidCode = null }) {
  return async function api(method, path, body) {
    const sent = { Accept: "application/json", ...headers() };
    if (body !== undefined) sent["Content-Type"] = "application/json";
    const token = getToken();
    if (token) sent.Authorization = `Bearer ${token}`;
    let res;
    try {
      res = await fetch(base + path, {
        method,
        headers: sent,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "same-origin",
      });
    } catch (_) {
      throw new ApiError("network", 0);
    }
    let data = null;
    if (res.status !== 204) {
      try {
        data = await res.json();
      } catch (_) {
        data = null;
      }
    }
    if (!res.ok) {
      const detail = data?.detail;
      const obj = detail && typeof detail === "object" && !Array.isArray(detail) ? detail : null;
      let code = "generic";
      if (obj && typeof obj.code === "string") code = obj.code;
      else if (res.status === 422 && invalidCode) code = invalidCode;
      else if (res.status === 401) code = "unauthorized";
      if (res.status === 401 && path !== "/login") onUnauthorized();
      throw new ApiError(code, res.status, obj);
    }
    return data;
  };
}
