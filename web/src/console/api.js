// The console's api client (/api/v1/console): the agent's bearer token; a 401 ends the session.

import { createApi } from "../shared/api.js";
import { API } from "./config.js";
import { sessionExpired } from "./session.js";
import { state } from "./state.js";

export const api = createApi({
  base: API,
  getToken: () => state.token,
  onUnauthorized: () => sessionExpired(),
  invalidCode: "invalid",
});

export const enc = encodeURIComponent;
