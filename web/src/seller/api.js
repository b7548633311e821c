// The seller portal's api client (/api/v1/seller): answers come in the seller's language
// (Accept-Language); a 401 ends the session.

import { createApi } from "../shared/api.js";
import { API } from "./config.js";
import { sessionExpired } from "./session.js";
import { state } from "./state.js";

export const api = createApi({
  base: API,
  getToken: () => state.token,
  headers: () => ({ "Accept-Language": state.lang }),
  onUnauthorized: () => sessionExpired(),
});

export const enc = encodeURIComponent;
