package dev.floe.proxy.admin;

import dev.floe.proxy.status.Escape;
import java.util.List;

/**
 * The admin page for a person ({@code /admin/}): every mount with its title, listeners and
 * source, a form to set the title, a button to kick each listener, and a choice to move all
 * listeners to another mount. It is a page of plain HTML forms that call the Icecast admin
 * commands ({@code metadata}, {@code killclient}, {@code moveclients}) with the browser's admin
 * credentials; a small inline script sends them in the background and reloads the page, so the
 * person never sees the XML answer (without JavaScript the forms still work and show it). One
 * column on a phone, no external resources. Pure: renders snapshots.
 */
final class AdminWebPage {
  private AdminWebPage() {}

  private static final String STYLE = """
      <style>
      :root{color-scheme:light dark;--line:#8884}
      body{font:16px/1.4 system-ui,sans-serif;margin:0 auto;padding:12px;max-width:60rem}
      h1{font-size:1.3rem;margin:.2rem 0 .8rem}h2{font-size:1.1rem;margin:0 0 .4rem;word-break:break-all}
      section{border:1px solid var(--line);border-radius:8px;padding:12px;margin:0 0 12px}
      .meta{opacity:.8;font-size:.9rem;margin:.2rem 0 .6rem}
      form{display:flex;gap:6px;flex-wrap:wrap;margin:.4rem 0}
      input[type=text],select{flex:1 1 12rem;min-width:0;font:inherit;padding:8px}
      button{font:inherit;padding:8px 14px;min-height:40px;cursor:pointer}
      table{width:100%;border-collapse:collapse;font-size:.9rem}
      th,td{text-align:left;padding:6px 4px;border-top:1px solid var(--line);vertical-align:middle}
      td.ua{word-break:break-word}
      @media (max-width:40rem){thead{display:none}tr{display:block;border-top:1px solid var(--line);padding:4px 0}
      td{display:block;border:0;padding:2px 0}td[data-l]::before{content:attr(data-l) ": ";opacity:.7}}
      #msg{position:sticky;top:0;background:#2a6;color:#fff;padding:6px 10px;border-radius:6px;display:none}
      </style>
      """;

  private static final String SCRIPT = """
      <script>
      document.addEventListener('submit',async e=>{const f=e.target;if(!f.dataset.cmd)return;
      e.preventDefault();const q=new URLSearchParams(new FormData(f));
      if(f.dataset.confirm&&!confirm(f.dataset.confirm))return;
      const m=document.getElementById('msg');
      try{const r=await fetch(location.origin+f.dataset.cmd+'?'+q,{credentials:'same-origin'});
      const t=await r.text();const d=new DOMParser().parseFromString(t,'text/xml');
      const x=d.querySelector('message');m.textContent=(x?x.textContent:r.status+' '+r.statusText);}
      catch(err){m.textContent=String(err);}
      m.style.display='block';setTimeout(()=>location.reload(),900);});
      </script>
      """;

  /** The page for {@code mounts}. */
  static String render(String serverId, String hostname, List<AdminMount> mounts) {
    StringBuilder sb = head(new StringBuilder(4096), "Admin: " + hostname);
    sb.append("<div id=\"msg\"></div><p class=\"meta\">");
    esc(sb, serverId);
    sb.append(" · ").append(mounts.size()).append(mounts.size() == 1 ? " mount" : " mounts")
        .append(" · <a href=\"/\">status page</a></p>\n");
    if (mounts.isEmpty()) {
      sb.append("<p>No mount is live.</p>");
    }
    for (AdminMount m : mounts) {
      mount(sb, m, mounts);
    }
    return sb.append(SCRIPT).append("</body></html>\n").toString();
  }

  private static void mount(StringBuilder sb, AdminMount m, List<AdminMount> all) {
    sb.append("<section><h2><a href=\"");
    esc(sb, m.mount());
    sb.append("\">");
    esc(sb, m.mount());
    sb.append("</a></h2><div class=\"meta\">");
    String name = m.stats().get("server_name");
    if (name != null && !name.equals("Unspecified name")) {
      esc(sb, name);
      sb.append("<br>");
    }
    sb.append(m.listeners())
        .append(m.listeners() == 1 ? " listener" : " listeners").append(" (peak ")
        .append(m.listenerPeak()).append(") · ");
    esc(sb, m.contentType());
    String source = m.stats().get("source_ip");
    if (source != null) {
      sb.append(" · from ");
      esc(sb, source);
    }
    sb.append("<br>Now playing: <b>");
    esc(sb, m.title() == null ? "(no title)" : m.title());
    sb.append("</b></div>");
    // title
    sb.append("<form action=\"/admin/metadata\" data-cmd=\"/admin/metadata\">");
    hidden(sb, "mount", m.mount());
    hidden(sb, "mode", "updinfo");
    sb.append("<input type=\"text\" name=\"song\" aria-label=\"New title\" placeholder=\"New"
        + " title (Artist - Title)\"><button>Set title</button></form>");
    // move
    if (all.size() > 1 && m.listeners() > 0) {
      sb.append("<form action=\"/admin/moveclients\" data-cmd=\"/admin/moveclients\">");
      hidden(sb, "mount", m.mount());
      sb.append("<select name=\"destination\" aria-label=\"Move listeners to\">");
      for (AdminMount other : all) {
        if (!other.mount().equals(m.mount())) {
          sb.append("<option value=\"");
          esc(sb, other.mount());
          sb.append("\">");
          esc(sb, other.mount());
          sb.append("</option>");
        }
      }
      sb.append("</select><button>Move all listeners</button></form>");
    }
    // listeners
    if (!m.clients().isEmpty()) {
      sb.append("<table><thead><tr><th>Id</th><th>Address</th><th>Player</th><th>Connected</th>"
          + "<th></th></tr></thead><tbody>");
      for (AdminListener l : m.clients()) {
        sb.append("<tr><td data-l=\"Id\">").append(l.id()).append("</td><td data-l=\"Address\">");
        esc(sb, l.ip());
        sb.append("</td><td class=\"ua\" data-l=\"Player\">");
        esc(sb, l.userAgent() == null ? "" : l.userAgent());
        sb.append("</td><td data-l=\"Connected\">").append(duration(l.connectedSeconds()))
            .append("</td><td><form action=\"/admin/killclient\" data-cmd=\"/admin/killclient\""
                + " data-confirm=\"Kick listener ").append(l.id()).append("?\">");
        hidden(sb, "mount", m.mount());
        hidden(sb, "id", Long.toString(l.id()));
        sb.append("<button>Kick</button></form></td></tr>");
      }
      sb.append("</tbody></table>");
    }
    sb.append("</section>\n");
  }

  /** {@code updatemetadata}'s page: a form that sets the title of {@code mount}. */
  static String metadataForm(String mount, String title) {
    StringBuilder sb = head(new StringBuilder(1024), "Update metadata: " + mount);
    sb.append("<p class=\"meta\">Now playing: <b>");
    esc(sb, title == null || title.isEmpty() ? "(no title)" : title);
    sb.append("</b></p><form action=\"/admin/metadata\">");
    hidden(sb, "mount", mount);
    hidden(sb, "mode", "updinfo");
    sb.append("<input type=\"text\" name=\"song\" aria-label=\"New title\" placeholder=\"Artist"
        + " - Title\"><button>Update</button></form><p><a href=\"/admin/\">All mounts</a></p>"
        + "</body></html>\n");
    return sb.toString();
  }

  /** The document's start up to and including its {@code <h1>}. */
  private static StringBuilder head(StringBuilder sb, String title) {
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>");
    esc(sb, title);
    sb.append("</title>").append(STYLE).append("</head><body><h1>");
    esc(sb, title);
    return sb.append("</h1>");
  }

  private static String duration(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0 ? h + "h " + m + "m" : m > 0 ? m + "m " + s + "s" : s + "s";
  }

  private static void hidden(StringBuilder sb, String name, String value) {
    sb.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"");
    esc(sb, value);
    sb.append("\">");
  }

  private static void esc(StringBuilder sb, String s) {
    Escape.icecastXmlAttribute(sb, s == null ? "" : s);
  }
}
