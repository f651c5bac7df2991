-- Argo CD health check for lxcattach.io/ContainerAttach (argocd-cm key
-- resource.customizations.health.lxcattach.io_ContainerAttach). Argo CD runs it on its Lua 5.1
-- interpreter with the live object in `obj`.
--
--   no status yet     Progressing  no agent has admitted it (none claimed it, or it is about to)
--   Pending, Running  Progressing
--   WaitingForClient  Suspended    an Interactive attach waits for a person's client, not for the
--                                  cluster; it ends Failed/ClientConnectTimeout if nobody comes
--   Succeeded         Healthy
--   Failed            Degraded     the message is "REASON: MESSAGE" (NonZeroExitCode, PolicyDenied, ...)
local hs = {}
local status = obj.status
if status == nil or status.phase == nil then
  hs.status = "Progressing"
  local labels = obj.metadata.labels
  local node = labels ~= nil and labels["lxcattach.io/node"] or nil
  if node ~= nil then
    hs.message = "claimed by the agent on node " .. node .. ", not admitted yet"
  else
    hs.message = "waiting for an agent to claim the attach"
  end
  return hs
end

local phase = status.phase
if phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = status.message or "the command succeeded"
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = (status.reason or "Failed") .. ": " .. (status.message or "the attach failed")
elseif phase == "WaitingForClient" then
  hs.status = "Suspended"
  hs.message = "waiting for a client to connect on node " .. (status.nodeName or "?")
elseif phase == "Running" then
  hs.status = "Progressing"
  hs.message = "running on node " .. (status.nodeName or "?") .. " since " .. (status.startTime or "?")
elseif phase == "Pending" then
  hs.status = "Progressing"
  hs.message = "pending"
else
  hs.status = "Unknown"
  hs.message = "unknown phase " .. tostring(phase)
end
return hs
