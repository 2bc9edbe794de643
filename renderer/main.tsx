import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startEngineConnection } from './connection/engine.ts';

// The serve host authenticates the first page load with `?token=…` and answers with an
// HttpOnly cookie; drop the token from the address bar so it is not kept in history.
const query = new URLSearchParams(window.location.search);
if (query.has('token')) {
  query.delete('token');
  const search = query.size > 0 ? `?${query.toString()}` : '';
  window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
}

startEngineConnection();

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element.');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
