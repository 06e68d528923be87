import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Attempt = Schemas["Attempt"];
export type AttemptSummary = Schemas["AttemptSummary"];
export type Item = Schemas["Item"];
export type Answer = NonNullable<Item["answer"]>;
export type Feedback = Schemas["Feedback"];
export type Result = Schemas["Result"];
export type Exam = Schemas["ExamOut"];
export type Progress = Schemas["Progress"];
export type User = Schemas["User"];
export type Cohort = Schemas["Cohort"];
export type CohortDetail = Schemas["CohortDetail"];
export type Assignment = Schemas["Assignment"];
export type Dashboard = Schemas["Dashboard"];
export type Heatmap = Schemas["Heatmap"];

/** The API's one error shape: {error: {code, message, fields?}}. */
export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Record<string, unknown> };
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields?: Record<string, unknown>,
  ) {
    super(message);
  }
}

function cookie(name: string): string | undefined {
  return document.cookie
    .split("; ")
    .find((part) => part.startsWith(`${name}=`))
    ?.split("=")[1];
}

/** Session writes carry Django's CSRF token (the cookie is set by the page and GET /api/auth/csrf/). */
const csrf: Middleware = {
  onRequest({ request }) {
    if (!["GET", "HEAD", "OPTIONS"].includes(request.method)) {
      const token = cookie("csrftoken");
      if (token) request.headers.set("X-CSRFToken", decodeURIComponent(token));
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);

/** Unwrap an openapi-fetch result: the data, or an ApiError in the API's shape. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    const body = result.error as Partial<ApiErrorBody> | undefined;
    const error = body?.error;
    throw new ApiError(
      result.response.status,
      error?.code ?? "error",
      error?.message ?? `The server answered ${result.response.status}.`,
      error?.fields,
    );
  }
  return result.data;
}

/** For endpoints that answer 204: nothing, or an ApiError in the API's shape. */
export function done(result: { error?: unknown; response: Response }): void {
  if (result.response.ok) return;
  unwrap({ ...result, data: undefined });
}

/** A message fit to show a person, whatever was thrown. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "The server cannot be reached. Check your connection and try again.";
  return "Something went wrong. Try again.";
}
