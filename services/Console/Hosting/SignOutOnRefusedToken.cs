using Ops.Console.Services;

namespace Ops.Console.Hosting;

/// <summary>When an API refuses the person's token while a page is made, the session ends and the person is sent to sign in again.</summary>
public sealed class SignOutOnRefusedToken(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (SessionEndedException) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await Session.SignOutAsync(context);
            context.Response.Redirect($"/login?ReturnUrl={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
        }
    }
}
