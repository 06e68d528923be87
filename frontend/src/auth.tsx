import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { api, type User } from "./api/client";

interface AuthState {
  user: User | null;
  loading: boolean;
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    await api.GET("/api/auth/csrf/").catch(() => undefined); // sets the CSRF cookie for session writes
    const { data } = await api.GET("/api/auth/me/").catch(() => ({ data: undefined }));
    setUser(data ?? null);
    setLoading(false);
  }, []);
  const signOut = useCallback(async () => {
    await api.POST("/api/auth/logout/");
    setUser(null);
    await api.GET("/api/auth/csrf/").catch(() => undefined);
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return <AuthContext.Provider value={{ user, loading, refresh, signOut }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside AuthProvider");
  return state;
}
