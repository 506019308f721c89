extension SiteAssets {
    /// The in-browser verifier: with WebCrypto only (Ed25519, SHA-256), it
    /// checks that the checkpoint in edition.json is signed by the verifier
    /// key (the C2SP signed-note rules of protocol/transparency.md), that the
    /// manifest covers exactly that checkpoint, and that every download's
    /// SHA-256 is the manifest's. A page opened from disk may not be allowed
    /// to read the files beside it; then the reader chooses them.
    static let verifierScript = """
        "use strict";
        (function () {
          const $ = (id) => document.getElementById(id);
          const utf8 = new TextEncoder();
          class Unreadable extends Error {}

          function fromBase64(text) {
            const binary = atob(text);
            const out = new Uint8Array(binary.length);
            for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
            return out;
          }
          const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
          const sha256 = async (bytes) => hex(await crypto.subtle.digest("SHA-256", bytes));

          function readBeside(path) {
            return new Promise((resolve, reject) => {
              const request = new XMLHttpRequest();
              request.open("GET", path);
              request.responseType = "arraybuffer";
              request.onload = () => {
                if ((request.status === 200 || request.status === 0) && request.response) resolve(new Uint8Array(request.response));
                else reject(new Error(request.status === 404 ? "missing" : "HTTP status " + request.status));
              };
              request.onerror = () => reject(new Unreadable("missing or not readable"));
              try { request.send(); } catch (error) { reject(new Unreadable("not readable")); }
            });
          }

          // NAME+HHHHHHHH+BASE64(0x01 || Ed25519 public key); the id is the first
          // four bytes of SHA-256(NAME || "\\n" || 0x01 || public key).
          async function parseKey(text) {
            // A name holds no "+"; base64 may.
            const trimmed = text.trim(), first = trimmed.indexOf("+");
            if (first < 1 || trimmed[first + 9] !== "+") throw new Error("the verifier key is not NAME+HHHHHHHH+BASE64");
            const name = trimmed.slice(0, first), id = trimmed.slice(first + 1, first + 9), encoded = trimmed.slice(first + 10);
            if (!/^[0-9a-f]{8}$/.test(id)) throw new Error("the verifier key's id is not eight hex digits");
            const raw = fromBase64(encoded);
            if (raw.length !== 33 || raw[0] !== 1) throw new Error("the verifier key is not an Ed25519 key");
            const nameBytes = utf8.encode(name);
            const material = new Uint8Array(nameBytes.length + 34);
            material.set(nameBytes);
            material[nameBytes.length] = 0x0a;
            material.set(raw, nameBytes.length + 1);
            if ((await sha256(material)).slice(0, 8) !== id) throw new Error("the verifier key's id does not match its name and public key");
            const key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
            return { name, id, key };
          }

          async function verifyCheckpoint(text, key) {
            const split = text.indexOf("\\n\\n");
            if (split < 0) throw new Error("the checkpoint is not a signed note");
            const body = text.slice(0, split + 1);
            const [origin, size, root] = body.split("\\n");
            if (origin !== key.name) throw new Error("the checkpoint is for log " + origin + ", not " + key.name);
            let signed = false;
            for (const line of text.slice(split + 2).split("\\n")) {
              if (!line) continue;
              const match = /^\\u2014 (\\S+) (\\S+)$/.exec(line);
              if (!match) throw new Error("a signature line is malformed");
              if (match[1] !== key.name) continue;
              const blob = fromBase64(match[2]);
              if (blob.length !== 68 || hex(blob.slice(0, 4)) !== key.id) continue;
              if (!(await crypto.subtle.verify({ name: "Ed25519" }, key.key, blob.slice(4), utf8.encode(body)))) {
                throw new Error("the signature does not verify: the checkpoint was altered or signed by another key");
              }
              signed = true;
            }
            if (!signed) throw new Error("it carries no signature by " + key.name + "+" + key.id);
            return { origin, size: Number(size), root };
          }

          async function run(chosen) {
            const status = $("verify-status"), details = $("verify-details");
            const failures = [];
            status.className = "pending";
            status.textContent = "checking…";
            details.textContent = "";
            function note(passed, text) {
              const item = document.createElement("li");
              item.className = passed ? "ok" : "failed";
              item.textContent = (passed ? "✓ " : "✗ ") + text;
              details.appendChild(item);
              if (!passed) failures.push(text);
            }
            function finish() {
              status.className = failures.length ? "failed" : "verified";
              status.textContent = failures.length ? "FAILED: " + failures.join("; ") : "verified";
            }
            const read = (path) => chosen
              ? (chosen.has(path) ? Promise.resolve(chosen.get(path)) : Promise.reject(new Error("not chosen")))
              : readBeside(path);
            if (!window.crypto || !crypto.subtle) {
              note(false, "this browser offers no WebCrypto here; open the page from disk or over https");
              return finish();
            }
            let manifest;
            try {
              manifest = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await read("edition.json")));
            } catch (error) {
              if (error instanceof Unreadable && !chosen) {
                $("verify-choose").hidden = false;
                status.textContent = "choose the files to check them";
                return;
              }
              note(false, "edition.json: " + error.message);
              return finish();
            }
            try {
              const key = await parseKey($("verify-key").value);
              const checkpoint = await verifyCheckpoint(String(manifest.checkpoint), key);
              note(true, "checkpoint: signed by " + key.name + "+" + key.id + ", " + checkpoint.size + " events, root " + checkpoint.root);
              if (checkpoint.size !== manifest.treeSize || checkpoint.root !== manifest.root) {
                note(false, "edition.json: it says " + manifest.treeSize + " events and root " + manifest.root
                  + " but the signed checkpoint says " + checkpoint.size + " and " + checkpoint.root);
              } else {
                note(true, "edition.json covers exactly the signed checkpoint");
              }
            } catch (error) {
              note(false, "checkpoint: " + error.message);
            }
            const hashes = new Map((manifest.files || []).map((file) => [file.path, file.sha256]));
            for (const path of manifest.downloads || []) {
              const expected = hashes.get(path);
              if (!expected) { note(false, path + ": not in the manifest's list of files"); continue; }
              try {
                const actual = await sha256(await read(path));
                if (actual === expected) note(true, path + ": SHA-256 as in the manifest");
                else note(false, path + ": changed (SHA-256 " + actual + ", the manifest says " + expected + ")");
              } catch (error) {
                note(false, path + ": " + error.message);
              }
            }
            finish();
          }

          $("verify-again").addEventListener("click", () => run(null));
          $("verify-files").addEventListener("change", async (event) => {
            const chosen = new Map();
            for (const file of event.target.files) chosen.set(file.name, new Uint8Array(await file.arrayBuffer()));
            run(chosen);
          });
          run(null);
        })();

        """
}
