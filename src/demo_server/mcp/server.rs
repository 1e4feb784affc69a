//! The demo's MCP server as rmcp sees it: what it declares, which protocol
//! revisions it speaks, and where each request goes. The tools, resources
//! and prompts themselves live in their own files.

use std::borrow::Cow;

#[allow(deprecated)] // logging/setLevel: see `set_level`
use rmcp::model::SetLevelRequestParams;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, GetPromptRequestParams, GetPromptResponse,
    GetPromptResult, Implementation, ListPromptsResult, ListResourceTemplatesResult,
    ListResourcesResult, ListToolsResult, PaginatedRequestParams, ProtocolVersion,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, ServerCapabilities,
    ServerConfig, SubscriptionFilter, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};

use super::paging::page;
use super::{prompts, resources, tools};

/// Which protocol revisions a demo endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Era {
    /// Every revision rmcp knows, 2026-07-28 (stateless) the newest; the
    /// `initialize` handshake is still answered, as a server in the
    /// transition must.
    Current,
    /// The session era only: revisions up to 2025-11-25, so
    /// `server/discover` is refused and a client falls back to `initialize`.
    Session,
}

/// One demo MCP server; rmcp makes one per session (or per stateless request).
#[derive(Debug, Clone)]
pub(super) struct DemoMcp {
    pub(super) era: Era,
}

fn cursor(request: &Option<PaginatedRequestParams>) -> Option<&str> {
    request.as_ref().and_then(|r| r.cursor.as_deref())
}

impl ServerHandler for DemoMcp {
    fn get_info(&self) -> ServerConfig {
        // Logging is deprecated in 2026-07-28 (SEP-2577); the `log` tool shows it.
        #[allow(deprecated)]
        let capabilities = ServerCapabilities::builder()
            .enable_logging()
            .enable_prompts()
            .enable_prompts_list_changed()
            .enable_resources()
            .enable_resources_list_changed()
            .enable_tools()
            .enable_tool_list_changed()
            .build();
        let name = match self.era {
            Era::Current => "ssetui-demo-mcp",
            Era::Session => "ssetui-demo-mcp-legacy",
        };
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new(name, env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "The ssetui demo: call `progress` with a progressToken to watch progress \
                 notifications arrive, `log` for logging notifications, `fail` for a \
                 JSON-RPC error; resources/list and prompts/list take more than one page.",
            )
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        match self.era {
            Era::Current => Cow::Borrowed(ProtocolVersion::KNOWN_VERSIONS),
            Era::Session => Cow::Borrowed(ProtocolVersion::known_up_to(
                &ProtocolVersion::LATEST_WITH_INITIALIZE,
            )),
        }
    }

    /// `subscriptions/listen` (2026-07-28) is accepted for the list-changed
    /// notifications, so a client can hold its listen stream open; the
    /// demo's lists never change, so the stream carries keep-alives until
    /// the client closes it.
    fn accepted_subscription_filter(
        &self,
        requested: &SubscriptionFilter,
    ) -> Option<SubscriptionFilter> {
        let mut accepted = requested.clone();
        accepted.resource_subscriptions = None;
        Some(accepted)
    }

    #[allow(deprecated)]
    async fn set_level(
        &self,
        _request: SetLevelRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        // Accepted so clients that set a level can go on; the `log` tool
        // always sends its three levels, which is what it is there to show.
        Ok(())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools::tools()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        tools::tools().into_iter().find(|tool| tool.name == name)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let args = request.arguments.unwrap_or_default();
        let result = tools::call(&request.name, &args, &context).await?;
        Ok(result.into())
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let (items, next) = page(&resources::resources(), cursor(&request))?;
        let mut result = ListResourcesResult::with_all_items(items);
        result.next_cursor = next;
        Ok(result)
    }

    async fn list_resource_templates(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        let (items, next) = page(&resources::templates(), cursor(&request))?;
        let mut result = ListResourceTemplatesResult::with_all_items(items);
        result.next_cursor = next;
        Ok(result)
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let contents = resources::read(&request.uri)?;
        Ok(ReadResourceResult::new(vec![contents]).into())
    }

    async fn list_prompts(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        let (items, next) = page(&prompts::prompts(), cursor(&request))?;
        let mut result = ListPromptsResult::with_all_items(items);
        result.next_cursor = next;
        Ok(result)
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        let (description, messages) = prompts::get(&request.name, request.arguments.as_ref())?;
        Ok(GetPromptResult::new(messages)
            .with_description(description)
            .into())
    }
}
