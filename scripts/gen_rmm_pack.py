#!/usr/bin/env python3
"""Generates the built-in RMM rule pack (rules/builtin/rmm) from the project's indicator data file.

Two modes:
  --refresh-data   reads the shared catalogs (LOLRMM catalog JSON and the jischell Sentinel RMM CSV), normalises and
                   filters their indicators, and writes data/rmm/rmm_indicators.json (committed).
  (default)        reads data/rmm/rmm_indicators.json and writes, per tool, up to three Sentinel analytic rules
                   (network connection, process execution, signed binary) and a <rule>.tests.yaml beside each.

Python 3 standard library only; the output is deterministic (sorted inputs, GUIDs derived from tool and rule kind,
fixed test clock), so re-running it on unchanged data changes no file. See docs/rule_pack.md.
"""
import argparse
import csv
import hashlib
import ipaddress
import json
import os
import re
import sys
import uuid

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SHARED = os.path.join(os.path.dirname(REPO_ROOT), "shared", "data")
DATA_FILE = os.path.join(REPO_ROOT, "data", "rmm", "rmm_indicators.json")
RULES_DIR = os.path.join(REPO_ROOT, "rules", "builtin", "rmm")

# The namespace of the pack's rule GUIDs: uuid5(namespace, "<tool id>/<rule kind>") keeps ids stable across refreshes.
RULE_ID_NAMESPACE = uuid.UUID("6a1f3c2e-9b7d-5e40-8c61-2d4b9a7e0f13")

# Rules that exist by hand in the pack: the generator writes only their tests, from the indicators the hand-written
# query actually matches (the seed rule checks one domain and the publisher, not the tool's full domain list).
HAND_WRITTEN_RULES = {
    ("tacticalrmm", "network"): {"file": "tacticalrmm_network_connection.yaml", "domains": ["tacticalrmm.io"],
                                 "process_names": [], "companies": ["AmidaWare", "Tactical Techs"]},
}

# Shared infrastructure: domains that browsers, git, updaters and every cloud app reach. A catalog domain equal to one
# of these or under one of them is dropped, because `has` on it would match everyone's traffic to that provider.
SHARED_INFRASTRUCTURE_DOMAINS = sorted([
    "github.com", "githubusercontent.com", "github.io", "githubassets.com", "gitlab.com", "bitbucket.org",
    "sourceforge.net", "amazonaws.com", "amazon.com", "awsstatic.com", "cloudfront.net", "azureedge.net",
    "azurewebsites.net", "azure.com", "azurefd.net", "trafficmanager.net", "blob.core.windows.net", "windows.net",
    "windowsupdate.com", "microsoft.com", "microsoftonline.com", "msftconnecttest.com", "live.com", "office.com",
    "office365.com", "visualstudio.com", "msedge.net", "google.com", "googleapis.com", "gstatic.com",
    "googleusercontent.com", "gvt1.com", "1e100.net", "dropbox.com", "dropboxusercontent.com", "cloudflare.com",
    "cloudflare.net", "cloudflarestorage.com", "cloudflare-dns.com", "fastly.net", "fastlylb.net", "edgecastcdn.net",
    "edgekey.net", "edgesuite.net", "apple.com", "icloud.com", "mzstatic.com", "mozilla.org", "mozilla.net",
    "firefox.com", "digicert.com", "letsencrypt.org", "sectigo.com", "globalsign.com", "verisign.com",
    "cdn77.org", "jsdelivr.net", "unpkg.com", "npmjs.org", "pypi.org", "docker.io", "docker.com", "heroku.com",
    "herokuapp.com", "firebaseio.com", "appspot.com", "wordpress.com", "youtube.com", "facebook.com", "ghcr.io",
    "apache.org", "softonic.com", "informer.com", "stunprotocol.org", "servicebus.windows.net",
])
# Prefixes of registrable labels that belong to shared CDNs (akamaiedge.net, akamaized.net, akamaitechnologies.com...).
SHARED_INFRASTRUCTURE_LABEL_PREFIXES = ["akamai"]

# Public suffixes with more than one label that appear in the catalogs: a wildcard is never stripped down to these.
MULTI_LABEL_PUBLIC_SUFFIXES = {
    "co.uk", "org.uk", "ac.uk", "com.au", "net.au", "com.cn", "net.cn", "com.br", "co.jp", "co.kr", "co.in",
    "com.tr", "com.ru", "eu.com", "us.com", "co.nz", "com.sg", "com.tw", "com.hk", "com.mx", "co.za",
}

# Process file names that are not evidence of a tool: Windows and macOS system processes, browsers, shells,
# interpreters, and installer or agent names so generic that many products ship them.
GENERIC_PROCESS_NAMES = {
    "svchost.exe", "explorer.exe", "services.exe", "lsass.exe", "rundll32.exe", "regsvr32.exe", "dllhost.exe",
    "conhost.exe", "cmd.exe", "powershell.exe", "pwsh.exe", "wscript.exe", "cscript.exe", "mshta.exe",
    "msiexec.exe", "mstsc.exe", "ssh.exe", "scp.exe", "sftp.exe", "curl.exe", "wget.exe", "git.exe", "java.exe",
    "javaw.exe", "python.exe", "pythonw.exe", "node.exe", "chrome.exe", "msedge.exe", "firefox.exe", "iexplore.exe",
    "opera.exe", "brave.exe", "setup.exe", "install.exe", "installer.exe", "uninstall.exe", "unins000.exe",
    "update.exe", "updater.exe", "autoupdate.exe", "agent.exe", "client.exe", "server.exe", "service.exe",
    "connect.exe", "launcher.exe", "helper.exe", "app.exe", "main.exe", "run.exe", "start.exe", "tray.exe",
    "installshield setup.exe", "notificationhelper.exe", "plink.exe", "appcore.exe",
    "launchd", "xpcproxy", "mdmclient", "auditor", "collector", "agent", "client", "server", "service", "remote",
}

# Publishers whose names appear on most software of a machine: a signer or company term from this list would fire
# on the operating system, browsers or common apps.
GENERIC_PUBLISHERS = {
    "microsoft", "microsoft corporation", "microsoft windows", "microsoft windows component publisher",
    "google", "google llc", "google inc", "apple", "apple inc.", "mozilla", "mozilla corporation", "amazon",
    "oracle", "oracle america, inc.", "adobe", "adobe inc.", "adobe systems incorporated", "intel", "dell",
    "symantec corporation", "openvpn inc.", "win.rar gmbh", "unity technologies sf", "yandex llc",
    "tencent technology (shenzhen) company limited", "alibaba (china) network technology co.,ltd.",
    "taobao (china) software co.,ltd.", "the git development community", "python software foundation",
    "certification authority", "globalsigningdig", "codesigningmico", ".net",
    # Product or company words too common to stand alone.
    "remote", "connect", "viewer", "remotedesktop", "rmm", "launch", "cloud.ra", "rm service", "remote monitoring",
    "agent", "client", "server", "service", "support",
}

# jischell tool names that the LOLRMM catalog spells differently, and catalog entries that are the same product.
TOOL_ALIASES = {
    "ammyy": "ammyyadmin", "awesun": "aweray", "barracudarmm": "barracuda", "bluetraitio": "bluetrait",
    "chromerdp": "chromeremotedesktop", "crosstec": "crosstecremotecontrol", "dattormm": "centrastage",
    "fleetdeck": "fleetdeckio", "msp360cloudberry": "msp360", "nable": "nableadvancedmonitoringagent",
    "netsupport": "netsupportmanager", "pdq": "pdqconnect", "syncromsp": "syncro", "parsecapp": "parsec",
    "levelio": "level", "ninjaone": "ninjarmm", "connectwisecontrol": "screenconnect",
    "labteach": "connectwiseautomate", "labtechrmm": "connectwiseautomate", "microsoftquickassist": "quickassist",
    "splashtopremote": "splashtop", "remotedesktopmanager": "devolutionsremotedesktopmanager",
    "visualstudiodevtunnel": "devtunnels", "mionetalsoknownaswdanywhereaccess": "mionet",
    "netopremotecontrolakaimperoconnect": "netopremotecontrol",
    # The jischell ConnectWise rule covers ScreenConnect (its companies and domains); one tool avoids twin alerts.
    "connectwise": "screenconnect",
}

# Windows' own binaries (LOLBAS and System32 names, with provenance in the file): never matched by name alone.
WINDOWS_BINARIES_FILE = os.path.join(REPO_ROOT, "data", "rmm", "windows_binaries.txt")
# Names in this section of that file are Microsoft's own remote-access tools: the rule for that tool may name them.
REMOTE_ACCESS_SECTION = "microsoft-remote-access"

# Process names that the catalogs list for a tool but that are too generic (or shared by several products) to identify
# it alone: a process rule matches them only together with the tool's own folder (vendor_folders).
GENERIC_NAMES_NEEDING_FOLDER = {
    "client32.exe", "rdp.exe", "agent32.exe", "agent64.exe", "agentu.exe", "agentmon.exe", "remote access.exe",
    "remote desktop.exe", "remote_host.exe", "remoteconsole.exe", "remoteview.exe", "rd.exe", "rv.exe", "si.exe",
    "dd.exe", "era.exe", "goto.exe", "clm.exe", "update-shim.exe", "upload.exe", "vhost.exe", "rhost.exe",
    "monitoringagent.exe", "installcore.exe", "supporttool.exe", "level.exe", "level", "wmc.exe", "bma.exe", "cbb.exe",
    "amon.exe", "remmon.exe", "prep64.exe", "cpuchk.exe",
}

# Folder names too common to stand for a vendor in an installation path.
GENERIC_FOLDERS = {
    "c:", "program files", "program files (x86)", "programdata", "windows", "system32", "syswow64", "users", "appdata",
    "local", "roaming", "locallow", "temp", "tmp", "public", "documents", "desktop", "downloads", "default",
    "all users", "application data", "local settings", "common files", "bin", "opt", "usr", "library", "applications",
    "program", "programs", "microsoft", "packages", "package cache", "google", "username", "ieuser", "user", "vector",
    "temper", "agent", "client", "server", "service", "support", "remote", "tools", "data", "config", "logs", "update",
}

MITRE_TECHNIQUE = "T1219"
MITRE_TACTIC = "CommandAndControl"

# The pinned clock of every generated test; events sit inside the rules' one-day window relative to it, and old
# events lie outside every window of the pack (the seed rule looks back five days).
TEST_NOW = "2024-10-09T15:00:00Z"
TEST_EVENT_TIME = "2024-10-09T14:00:00Z"
TEST_OLD_EVENT_TIME = "2024-10-03T14:00:00Z"


# ----------------------------------------------------------------------------------------------------------------------
# --refresh-data: catalogs -> data/rmm/rmm_indicators.json


def ToolSlug(name):
  """Returns a name's slug: without a parenthetical, lowercase alphanumerics only."""
  base = re.sub(r"\(.*?\)", "", name)
  slug = re.sub(r"[^a-z0-9]", "", base.lower())
  return slug or re.sub(r"[^a-z0-9]", "", name.lower())


def ToolKey(name):
  """Returns the tool id: the name's slug with aliases applied."""
  slug = ToolSlug(name)
  return TOOL_ALIASES.get(slug, slug)


def IsSharedInfrastructure(domain):
  for shared in SHARED_INFRASTRUCTURE_DOMAINS:
    if domain == shared or domain.endswith("." + shared):
      return True
  labels = domain.split(".")
  return any(label.startswith(prefix) for label in labels for prefix in SHARED_INFRASTRUCTURE_LABEL_PREFIXES)


def NormaliseDomain(raw):
  """Returns (domain, reason): the normalised domain, or None and why it was dropped."""
  text = raw.strip().lower()
  if not text or "user_managed" in text or "<" in text or " " in text:
    return None, "placeholder"
  text = re.sub(r"^[a-z]+://", "", text)
  text = text.split("/")[0]
  text = re.sub(r":\d+$", "", text)
  try:
    ipaddress.ip_address(text)
    return None, "ip address"
  except ValueError:
    pass
  labels = text.split(".")
  # Keep the labels after the last one that holds a wildcard or a pattern: '*.x.com' and 'agents*-cloud.x.com'
  # become 'x.com'. The result must still be more than a public suffix.
  pattern_labels = [idx for idx, label in enumerate(labels)
                    if re.search(r"[^a-z0-9_-]", label) or label.startswith("-") or label.endswith("-")]
  if pattern_labels:
    labels = labels[pattern_labels[-1] + 1:]
  labels = [label for label in labels if label]
  if len(labels) < 2 or not all(re.fullmatch(r"[a-z0-9_-]+", label) for label in labels):
    return None, "not a domain"
  domain = ".".join(labels)
  if domain in MULTI_LABEL_PUBLIC_SUFFIXES:
    return None, "public suffix"
  if IsSharedInfrastructure(domain):
    return None, "shared infrastructure"
  return domain, None


def CollapseDomains(domains):
  """Drops every domain covered by a shorter one of the list (`has 'x.com'` also matches 'a.x.com')."""
  kept = []
  for domain in sorted(set(domains), key=lambda d: (d.count("."), d)):
    if not any(domain.endswith("." + shorter) for shorter in kept):
      kept.append(domain)
  return sorted(kept)


def CleanProcessName(name):
  name = name.strip()
  base = re.split(r"[\\/]", name)[-1]
  if not base or re.search(r"[*?\[\]%<>]", base):
    return None
  lower = base.lower()
  if lower in GENERIC_PROCESS_NAMES:
    return None
  if "." in lower and not re.search(r"\.(exe|scr|com|app)$", lower):
    return None
  if len(lower) < 4:
    return None
  return base


def CleanPublisher(name):
  name = " ".join(name.split())
  if len(name) < 4 or "\\" in name or name.lower() in GENERIC_PUBLISHERS:
    return None
  return name


def VendorFolder(path):
  """Returns the vendor folder of a Windows installation path as a path fragment ('\\Teramind\\'), or None."""
  if "\\" not in path:
    return None
  parts = [part for part in path.split("\\") if part]
  if parts and ("." in parts[-1] or re.search(r"[*?]", parts[-1])):
    parts = parts[:-1]
  for part in parts:
    lower = part.lower()
    if (lower in GENERIC_FOLDERS or part.startswith(".") or re.search(r"[*?%<>]", part) or
        re.fullmatch(r"[a-z]:", lower) or len(part) < 4):
      continue
    return "\\" + part + "\\"
  return None


def UniqueCaseless(values):
  """Keeps the first spelling of each value, compared case-insensitively, sorted for determinism."""
  seen = {}
  for value in values:
    if value and value.lower() not in seen:
      seen[value.lower()] = value
  return sorted(seen.values(), key=lambda v: (v.lower(), v))


def SplitList(cell):
  return [part.strip() for part in cell.split(";") if part.strip()]


def RefreshData(shared_dir):
  catalog = json.load(open(os.path.join(shared_dir, "lolrmm_catalog.json"), encoding="utf-8"))
  tools = {}

  def Tool(key, name):
    if key not in tools:
      tools[key] = {"id": key, "name": name, "sources": [], "raw_domains": [], "processes": [], "original_files": [],
                    "companies": [], "products": [], "signers": [], "folders": []}
    elif ToolSlug(name) == key and ToolSlug(tools[key]["name"]) != key:
      # Name the tool after the entry its id comes from, not after an alias merged into it.
      tools[key]["name"] = name
    return tools[key]

  for entry in sorted(catalog["tools"], key=lambda e: e["source_file"]):
    tool = Tool(ToolKey(entry["name"]), entry["name"])
    tool["sources"].append("lolrmm:" + entry["source_file"])
    tool["raw_domains"] += entry["domains"]
    tool["processes"] += entry["process_names"]
    tool["folders"] += filter(None, map(VendorFolder, entry["installation_paths"]))
    tool["original_files"] += entry["pe_original_filenames"]
    tool["companies"] += entry["pe_company_names"]
    tool["products"] += entry["pe_product_names"]
    if not entry["codesigning_auto_harvested"]:
      tool["signers"] += entry["signer_names"]

  with open(os.path.join(shared_dir, "rmm_tools_jischell.csv"), encoding="utf-8") as csv_file:
    for row in csv.DictReader(csv_file):
      tool = Tool(ToolKey(row["tool"]), row["tool"])
      tool["sources"].append("jischell:" + row["tool"])
      # Bare words (no dot) in the Sentinel rules are terms, not domains; the pack matches domains only.
      tool["raw_domains"] += [token for token in SplitList(row["rule_remote_url_tokens"]) if "." in token]
      tool["companies"] += SplitList(row["rule_versioninfo_company"])
      tool["products"] += SplitList(row["rule_versioninfo_product"])
      tool["signers"] += SplitList(row["rule_signer"])
      tool["processes"] += SplitList(row["rule_process_filename"])

  out_tools = []
  for key in sorted(tools):
    tool = tools[key]
    domains, dropped = [], []
    for raw in tool["raw_domains"]:
      domain, reason = NormaliseDomain(raw)
      if domain:
        domains.append(domain)
      elif reason == "shared infrastructure":
        dropped.append(re.sub(r"^[*.]+", "", raw.strip().lower()))
    processes = UniqueCaseless(filter(None, map(CleanProcessName, tool["processes"])))
    original_files = UniqueCaseless(filter(None, map(CleanProcessName, tool["original_files"])))
    out_tools.append({
        "id": key,
        "name": tool["name"],
        "sources": sorted(set(tool["sources"])),
        "domains": CollapseDomains(domains),
        "dropped_shared_domains": sorted(set(dropped)),
        "process_names": processes,
        "original_file_names": original_files,
        "companies": UniqueCaseless(filter(None, map(CleanPublisher, tool["companies"]))),
        "products": UniqueCaseless(filter(None, map(CleanPublisher, tool["products"]))),
        "signers": UniqueCaseless(filter(None, map(CleanPublisher, tool["signers"]))),
        "vendor_folders": UniqueCaseless(tool["folders"]),
        "techniques": [MITRE_TECHNIQUE],
        "tactics": [MITRE_TACTIC],
    })

  document = {
      "description": "RMM tool indicators for the built-in rule pack; generated by scripts/gen_rmm_pack.py "
                     "--refresh-data from the LOLRMM catalog (Apache-2.0) and the jischell-msft Sentinel RMM rules "
                     "(MIT). Edit the script's lists, not this file.",
      "sources": {"lolrmm": catalog["meta"].get("source", "") + " @ " + catalog["meta"].get("commit", ""),
                  "jischell": "jischell-msft/RemoteManagementMonitoringTools"},
      "shared_infrastructure_denylist": SHARED_INFRASTRUCTURE_DOMAINS + [p + "*" for p in
                                                                         SHARED_INFRASTRUCTURE_LABEL_PREFIXES],
      "tools": out_tools,
  }
  os.makedirs(os.path.dirname(DATA_FILE), exist_ok=True)
  with open(DATA_FILE, "w", encoding="utf-8", newline="\n") as out:
    json.dump(document, out, indent=1, ensure_ascii=False, sort_keys=False)
    out.write("\n")
  print("wrote %s (%d tools)" % (os.path.relpath(DATA_FILE, REPO_ROOT), len(out_tools)))


# ----------------------------------------------------------------------------------------------------------------------
# default mode: data/rmm/rmm_indicators.json -> rules + tests


def KqlString(value):
  if "'" not in value and "\\" not in value:
    return "'" + value + "'"
  return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def KqlList(values):
  return ", ".join(KqlString(v) for v in values)


def YamlString(value):
  return "'" + value.replace("'", "''") + "'"


def RuleGuid(tool_id, kind):
  return str(uuid.uuid5(RULE_ID_NAMESPACE, tool_id + "/" + kind))


RULE_KINDS = {
    "network": ("network_connection", "Network Connection", "DeviceNetworkEvents"),
    "process": ("process_execution", "Process Execution", "DeviceProcessEvents"),
    "signature": ("signed_binary", "Signed Binary", "DeviceFileCertificateInfo"),
}


def NetworkQuery(tool):
  conditions = []
  if tool["process_names"]:
    conditions.append("InitiatingProcessFileName in~ (%s)" % KqlList(tool["process_names"]))
  if tool["companies"]:
    conditions.append("InitiatingProcessVersionInfoCompanyName has_any (%s)" % KqlList(tool["companies"]))
  return ("let Time_start = ago(1d);\n"
          "let Time_end = now();\n"
          "DeviceNetworkEvents\n"
          "| where Timestamp between (Time_start .. Time_end)\n"
          "| where RemoteUrl has_any (%s)\n"
          "| where %s\n"
          "| summarize FirstSeen = min(Timestamp), LastSeen = max(Timestamp), Report = make_set(ReportId),\n"
          "    Count = count() by DeviceId, DeviceName, RemoteUrl, InitiatingProcessFileName\n"
          % (KqlList(tool["domains"]), "\n    or ".join(conditions)))


def LoadWindowsBinaries():
  """Returns (names, remote_access): lower-case names of data/rmm/windows_binaries.txt, and its remote-access ones."""
  names, remote_access, section = set(), set(), None
  with open(WINDOWS_BINARIES_FILE, encoding="utf-8") as list_file:
    for line in list_file:
      line = line.split("#", 1)[0].strip()
      if line.startswith("[") and line.endswith("]"):
        section = line[1:-1]
      elif line:
        (remote_access if section == REMOTE_ACCESS_SECTION else names).add(line.lower())
  return names - remote_access, remote_access


WINDOWS_BINARIES, MICROSOFT_REMOTE_ACCESS = LoadWindowsBinaries()


def IsAmbiguousName(name):
  """True for a name that does not identify a tool alone: Windows' own binary, or a generic or shared name."""
  return name.lower() in WINDOWS_BINARIES or name.lower() in GENERIC_NAMES_NEEDING_FOLDER


def ProcessNames(tool):
  """Returns (names, originals, ambiguous): the tool's distinctive process and original file names, and the names
  that need the tool's folder beside them."""
  names = [n for n in tool["process_names"] if not IsAmbiguousName(n)]
  originals = [o for o in UniqueCaseless(tool["process_names"] + tool["original_file_names"]) if not IsAmbiguousName(o)]
  ambiguous = [n for n in UniqueCaseless(tool["process_names"] + tool["original_file_names"]) if IsAmbiguousName(n)]
  return names, originals, ambiguous


def FolderCondition(column, folders):
  return " or ".join("%s contains %s" % (column, KqlString(folder)) for folder in folders)


def ProcessQuery(tool):
  conditions = []
  names, originals, ambiguous = ProcessNames(tool)
  if names:
    conditions.append("FileName in~ (%s)" % KqlList(names))
  if originals:
    conditions.append("ProcessVersionInfoOriginalFileName in~ (%s)" % KqlList(originals))
  if tool["companies"]:
    conditions.append("ProcessVersionInfoCompanyName has_any (%s)" % KqlList(tool["companies"]))
  # A name Windows or other products also use counts only inside the tool's own folder.
  if ambiguous and tool.get("vendor_folders"):
    conditions.append("(FileName in~ (%s) and (%s))" % (KqlList(ambiguous),
                                                          FolderCondition("FolderPath", tool["vendor_folders"])))
  return ("let Time_start = ago(1d);\n"
          "let Time_end = now();\n"
          "DeviceProcessEvents\n"
          "| where Timestamp between (Time_start .. Time_end)\n"
          "| where %s\n"
          "| summarize FirstSeen = min(Timestamp), LastSeen = max(Timestamp), Report = make_set(ReportId),\n"
          "    Count = count() by DeviceId, DeviceName, FileName, FolderPath\n"
          % "\n    or ".join(conditions))


def SignatureQuery(tool):
  return ("let Time_start = ago(1d);\n"
          "let Time_end = now();\n"
          "DeviceFileCertificateInfo\n"
          "| where Timestamp between (Time_start .. Time_end)\n"
          "| where IsSigned == true\n"
          "| where Signer has_any (%s)\n"
          "| summarize FirstSeen = min(Timestamp), LastSeen = max(Timestamp), Report = make_set(ReportId),\n"
          "    Count = count() by DeviceId, DeviceName, Signer, SHA1\n"
          % KqlList(tool["signers"]))


ENTITY_MAPPINGS = {
    "network": [("Host", "HostName", "DeviceName"), ("URL", "Url", "RemoteUrl"),
                ("File", "Name", "InitiatingProcessFileName")],
    "process": [("Host", "HostName", "DeviceName"), ("File", "Name", "FileName"),
                ("File", "Directory", "FolderPath")],
    "signature": [("Host", "HostName", "DeviceName"), ("FileHash", "Value", "SHA1")],
}

DESCRIPTIONS = {
    "network": "Detects a device connecting to a domain of the remote monitoring and management (RMM) tool %s from "
               "the tool's own process or publisher.",
    "process": "Detects execution of the remote monitoring and management (RMM) tool %s, by process name, original "
               "file name or publisher.",
    "signature": "Detects a file signed by the publisher of the remote monitoring and management (RMM) tool %s.",
}


def RuleYaml(tool, kind, query):
  _, title, table = RULE_KINDS[kind]
  lines = [
      "id: " + RuleGuid(tool["id"], kind),
      "name: " + YamlString("Remote Management and Monitoring tool - %s - %s" % (tool["name"], title)),
      "description: |",
      "  " + DESCRIPTIONS[kind] % tool["name"],
      "  Attackers abuse legitimate RMM software for persistence and command and control; an alert on a device",
      "  where the tool is not sanctioned deserves a look. Generated by scripts/gen_rmm_pack.py from",
      "  data/rmm/rmm_indicators.json (sources: %s)." % ", ".join(tool["sources"]),
      "severity: Medium",
      "requiredDataConnectors:",
      "  - connectorId: MicrosoftThreatProtection",
      "    dataTypes:",
      "      - " + table,
      "queryFrequency: 1d",
      "queryPeriod: 1d",
      "triggerOperator: gt",
      "triggerThreshold: 0",
      "tactics:",
  ] + ["  - " + tactic for tactic in tool["tactics"]] + ["relevantTechniques:"] + [
      "  - " + technique for technique in tool["techniques"]] + ["query: |"] + [
      "  " + line for line in query.rstrip("\n").split("\n")] + ["entityMappings:"]
  by_type = {}
  for entity, identifier, column in ENTITY_MAPPINGS[kind]:
    by_type.setdefault(entity, []).append((identifier, column))
  for entity, _, _ in ENTITY_MAPPINGS[kind]:
    if entity not in by_type:
      continue
    lines.append("  - entityType: " + entity)
    lines.append("    fieldMappings:")
    for identifier, column in by_type.pop(entity):
      lines.append("      - identifier: " + identifier)
      lines.append("        columnName: " + column)
  # One alert per device and indicator: a device reaching two tool domains is two findings to triage.
  lines += ["eventGroupingSettings:", "  aggregationKind: AlertPerResult", "version: 1.0.0", "kind: Scheduled"]
  return "\n".join(lines) + "\n"


def EventLine(fields):
  return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


class TestFile:
  """Builds one <rule>.tests.yaml in lint3's format (docs/lint_and_test.md)."""

  def __init__(self, rule_file, tool_name):
    self.lines = ["# Tests for %s (%s); generated by scripts/gen_rmm_pack.py, do not edit." % (rule_file, tool_name),
                  "rule: " + rule_file, "now: " + TEST_NOW, "cases:"]
    self.count = 0

  def Case(self, name, kind, table, events, expected_rows=None):
    self.count += 1
    self.lines += ["  - name: " + YamlString(name), "    kind: " + kind, "    events:", "      %s: |" % table]
    self.lines += ["        " + EventLine(event) for event in events]
    self.lines += ["    expect:", "      alerts: %d" % (len(expected_rows) if expected_rows else 0)]
    if expected_rows:
      self.lines.append("      rows:")
      for row in expected_rows:
        first = True
        for column, value in row.items():
          text = str(value) if isinstance(value, int) else YamlString(value)
          self.lines.append(("        - " if first else "          ") + "%s: %s" % (column, text))
          first = False

  def Text(self):
    return "\n".join(self.lines) + "\n"


def LookAlikes(domain):
  """Domains that share the text of `domain` but not its terms, which `has` must not match."""
  return ["not" + domain, domain + "x"]


BROWSER = {"InitiatingProcessFileName": "chrome.exe", "InitiatingProcessVersionInfoCompanyName": "Google LLC"}
GIT = {"InitiatingProcessFileName": "git.exe",
       "InitiatingProcessVersionInfoCompanyName": "The Git Development Community"}


def ToolProcessIdentity(tool):
  """The initiating-process columns of a genuine tool event: its first process name and publisher."""
  identity = {}
  identity["InitiatingProcessFileName"] = tool["process_names"][0] if tool["process_names"] else "unknown_agent.exe"
  if tool["companies"]:
    identity["InitiatingProcessVersionInfoCompanyName"] = tool["companies"][0]
  return identity


def NetworkTests(tool, rule_file):
  tests = TestFile(rule_file, tool["name"])
  identity = ToolProcessIdentity(tool)
  report = [100]

  def Event(url, process, time=TEST_EVENT_TIME, device="ws-1"):
    report[0] += 1
    event = {"Timestamp": time, "DeviceId": "dev-" + device, "DeviceName": device, "RemoteUrl": url,
             "ReportId": report[0]}
    event.update(process)
    return event

  domains = tool["domains"]
  tests.Case("%s process reaches each of its domains" % tool["name"], "true_positive", "DeviceNetworkEvents",
             [Event(d, identity) for d in domains],
             [{"DeviceName": "ws-1", "RemoteUrl": d, "Count": 1} for d in domains])
  if tool["companies"] and tool["process_names"]:
    renamed = {"InitiatingProcessFileName": "renamed_tool.exe",
               "InitiatingProcessVersionInfoCompanyName": tool["companies"][0]}
    tests.Case("a renamed binary published by %s reaches %s" % (tool["companies"][0], domains[0]), "true_positive",
               "DeviceNetworkEvents", [Event("relay." + domains[0], renamed)],
               [{"DeviceName": "ws-1", "RemoteUrl": "relay." + domains[0], "InitiatingProcessFileName":
                 "renamed_tool.exe", "Count": 1}])
  tests.Case("a browser reaching the tool's domains raises nothing", "false_positive", "DeviceNetworkEvents",
             [Event(d, BROWSER) for d in domains] + [Event("https://www.%s/download" % domains[0], BROWSER)])
  tests.Case("look-alike domains are not the tool's", "false_positive", "DeviceNetworkEvents",
             [Event(alike, identity) for alike in LookAlikes(domains[0])])
  tests.Case("tool traffic older than the time window raises nothing", "false_positive", "DeviceNetworkEvents",
             [Event(domains[0], identity, time=TEST_OLD_EVENT_TIME)])
  # Rules whose domain list lost shared infrastructure show that the traffic the denylist exists for stays quiet.
  shared = tool["dropped_shared_domains"]
  if shared:
    tests.Case("git and a browser reaching shared infrastructure raise nothing", "false_positive",
               "DeviceNetworkEvents",
               [Event(d, GIT) for d in UniqueCaseless(shared)] + [Event(d, BROWSER) for d in UniqueCaseless(shared)])
  return tests


def ProcessTests(tool, rule_file):
  tests = TestFile(rule_file, tool["name"])
  report = [200]

  def Event(file_name, extra=None, time=TEST_EVENT_TIME):
    report[0] += 1
    event = {"Timestamp": time, "DeviceId": "dev-ws-1", "DeviceName": "ws-1", "FileName": file_name, "FolderPath": "C:\\Program Files\\Vendor\\" + file_name, "ReportId": report[0]}
    event.update(extra or {})
    return event

  names, distinctive_originals, ambiguous = ProcessNames(tool)
  if names:
    tests.Case("each %s process name" % tool["name"], "true_positive", "DeviceProcessEvents",
               [Event(n) for n in names], [{"DeviceName": "ws-1", "FileName": n, "Count": 1} for n in names])
  originals = [o for o in distinctive_originals if o.lower() not in {n.lower() for n in names}]
  if originals:
    tests.Case("a renamed binary keeps its original file name %s" % originals[0], "true_positive",
               "DeviceProcessEvents", [Event("renamed.exe", {"ProcessVersionInfoOriginalFileName": originals[0]})],
               [{"DeviceName": "ws-1", "FileName": "renamed.exe", "Count": 1}])
  if tool["companies"]:
    tests.Case("a binary published by %s" % tool["companies"][0], "true_positive", "DeviceProcessEvents",
               [Event("vendor_tool.exe", {"ProcessVersionInfoCompanyName": tool["companies"][0]})],
               [{"DeviceName": "ws-1", "FileName": "vendor_tool.exe", "Count": 1}])
  benign = [Event("chrome.exe", {"ProcessVersionInfoCompanyName": "Google LLC",
                                 "ProcessVersionInfoOriginalFileName": "chrome.exe"}),
            Event("git.exe", {"ProcessVersionInfoCompanyName": "The Git Development Community",
                              "ProcessVersionInfoOriginalFileName": "git.exe"}),
            Event("svchost.exe", {"ProcessVersionInfoCompanyName": "Microsoft Corporation",
                                  "ProcessVersionInfoOriginalFileName": "svchost.exe"})]
  tests.Case("browsers, git and system processes raise nothing", "false_positive", "DeviceProcessEvents", benign)
  if ambiguous:
    # The catalogs list names that Windows or other products also use: they never identify the tool alone.
    tests.Case("Windows' and other products' %s outside the tool's folder raise nothing" % ", ".join(ambiguous),
               "false_positive", "DeviceProcessEvents",
               [dict(Event(n, {"ProcessVersionInfoCompanyName": "Microsoft Corporation",
                               "ProcessVersionInfoOriginalFileName": n}),
                     FolderPath="C:\\Windows\\System32\\" + n) for n in ambiguous] +
               [dict(Event(n), FolderPath="C:\\Program Files\\Other Vendor\\" + n) for n in ambiguous])
    if tool.get("vendor_folders"):
      folder = tool["vendor_folders"][0]
      tests.Case("%s in the tool's folder %s" % (ambiguous[0], folder), "true_positive", "DeviceProcessEvents",
                 [dict(Event(ambiguous[0]), FolderPath="C:\\Program Files" + folder + ambiguous[0])],
                 [{"DeviceName": "ws-1", "FileName": ambiguous[0], "Count": 1}])
  first = names[0] if names else (originals[0] if originals else None)
  if first:
    tests.Case("look-alike file names are not the tool's", "false_positive", "DeviceProcessEvents",
               [Event("not" + first), Event(first + ".bak")])
    tests.Case("execution older than the time window raises nothing", "false_positive", "DeviceProcessEvents",
               [Event(first, {"ProcessVersionInfoOriginalFileName": first}, time=TEST_OLD_EVENT_TIME)])
  return tests


def SignatureTests(tool, rule_file):
  tests = TestFile(rule_file, tool["name"])
  report = [300]

  def Event(signer, sha1, signed=True, time=TEST_EVENT_TIME):
    report[0] += 1
    return {"Timestamp": time, "DeviceId": "dev-ws-1", "DeviceName": "ws-1", "SHA1": sha1, "IsSigned": signed,
            "Signer": signer, "ReportId": report[0]}

  signers = tool["signers"]
  hashes = [hashlib.sha1((tool["id"] + signer).encode("utf-8")).hexdigest() for signer in signers]
  tests.Case("files signed by each %s signer" % tool["name"], "true_positive", "DeviceFileCertificateInfo",
             [Event(s, h) for s, h in zip(signers, hashes)],
             [{"DeviceName": "ws-1", "Signer": s, "SHA1": h, "Count": 1} for s, h in zip(signers, hashes)])
  tests.Case("operating system and browser signers raise nothing", "false_positive", "DeviceFileCertificateInfo",
             [Event("Microsoft Corporation", "a" * 40), Event("Microsoft Windows", "b" * 40),
              Event("Google LLC", "c" * 40)])
  tests.Case("a look-alike signer is not the tool's", "false_positive", "DeviceFileCertificateInfo",
             [Event("Not" + signers[0].replace(" ", ""), "d" * 40)])
  tests.Case("an unsigned file that claims the signer raises nothing", "false_positive", "DeviceFileCertificateInfo",
             [Event(signers[0], "e" * 40, signed=False)])
  tests.Case("a signature seen before the time window raises nothing", "false_positive",
             "DeviceFileCertificateInfo", [Event(signers[0], "f" * 40, time=TEST_OLD_EVENT_TIME)])
  return tests


def PlanRules(tool):
  """Returns the rule kinds whose indicators are reliable enough for this tool."""
  kinds = []
  if tool["domains"] and (tool["process_names"] or tool["companies"]):
    kinds.append("network")
  names, originals, ambiguous = ProcessNames(tool)
  if names or originals or tool["companies"] or (ambiguous and tool.get("vendor_folders")):
    kinds.append("process")
  if tool["signers"]:
    kinds.append("signature")
  return kinds


def WriteFile(path, text, written):
  written.add(os.path.abspath(path))
  old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
  if old != text:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
      out.write(text)


def GenerateRules():
  document = json.load(open(DATA_FILE, encoding="utf-8"))
  os.makedirs(RULES_DIR, exist_ok=True)
  written = set()
  tools_covered = 0
  rule_count = 0
  for tool in document["tools"]:
    kinds = PlanRules(tool)
    if kinds:
      tools_covered += 1
    for kind in kinds:
      suffix = RULE_KINDS[kind][0]
      hand_written = HAND_WRITTEN_RULES.get((tool["id"], kind))
      test_tool = tool
      if hand_written:
        rule_file = hand_written["file"]
        test_tool = dict(tool, **{key: value for key, value in hand_written.items() if key != "file"})
      else:
        rule_file = "%s_%s.yaml" % (tool["id"], suffix)
        query = {"network": NetworkQuery, "process": ProcessQuery, "signature": SignatureQuery}[kind](tool)
        WriteFile(os.path.join(RULES_DIR, rule_file), RuleYaml(tool, kind, query), written)
      rule_count += 1
      tests = {"network": NetworkTests, "process": ProcessTests, "signature": SignatureTests}[kind](test_tool,
                                                                                                   rule_file)
      WriteFile(os.path.join(RULES_DIR, rule_file[:-len(".yaml")] + ".tests.yaml"), tests.Text(), written)
  # Remove generated files of tools or kinds that no longer have indicators; hand-written rules stay.
  keep = {os.path.abspath(os.path.join(RULES_DIR, rule["file"])) for rule in HAND_WRITTEN_RULES.values()}
  for name in sorted(os.listdir(RULES_DIR)):
    path = os.path.abspath(os.path.join(RULES_DIR, name))
    generated = re.fullmatch(r"[a-z0-9]+_(network_connection|process_execution|signed_binary)(\.tests)?\.yaml", name)
    if generated and path not in written and path not in keep:
      os.remove(path)
  print("wrote %d rules for %d tools in %s" % (rule_count, tools_covered, os.path.relpath(RULES_DIR, REPO_ROOT)))


def main():
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--refresh-data", action="store_true",
                      help="rebuild data/rmm/rmm_indicators.json from the shared catalogs")
  parser.add_argument("--shared", default=DEFAULT_SHARED, help="folder holding the catalogs (default: %(default)s)")
  args = parser.parse_args()
  if args.refresh_data:
    RefreshData(args.shared)
  else:
    GenerateRules()
  return 0


if __name__ == "__main__":
  sys.exit(main())
